/**
 * Why a credential was refused. The message is precise and safe to show to the
 * offering site and the user; nothing is stored when one is thrown.
 */
export type CredentialErrorCode =
  | 'too_large'
  | 'malformed'
  | 'unsupported_format'
  | 'unresolvable_issuer'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'not_bound'
  | 'revoked'
  | 'suspended';

export class CredentialError extends Error {
  readonly code: CredentialErrorCode;
  constructor(code: CredentialErrorCode, message: string) {
    super(message);
    this.name = 'CredentialError';
    this.code = code;
  }
}
