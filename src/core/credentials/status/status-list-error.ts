/**
 * Why a status list could not be used. `unreachable`: fetching it failed (network,
 * HTTP status); `invalid`: it arrived but is not a list we may rely on (bad signature,
 * other issuer, wrong purpose, expired, malformed, index out of range).
 */
export type StatusListErrorKind = 'unreachable' | 'invalid';

export class StatusListError extends Error {
  readonly kind: StatusListErrorKind;
  constructor(kind: StatusListErrorKind, message: string) {
    super(message);
    this.name = 'StatusListError';
    this.kind = kind;
  }
}

export const invalidList = (message: string): StatusListError => new StatusListError('invalid', message);

/** The message of anything thrown, for a reason shown to the user. */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';
