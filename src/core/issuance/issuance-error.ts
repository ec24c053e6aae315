/**
 * Why receiving a credential over OpenID4VCI failed, in words for the holder (the
 * dashboard shows it; a site hears only "invalid credential" and the reason goes to
 * the activity log). Every step names what it refused.
 */
export class IssuanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IssuanceError';
  }
}
