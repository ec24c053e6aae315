/**
 * Core speaks its own errors (DESIGN.md §2): one error type with domain codes. The
 * routers map them at the edge — to RPC codes for pages, to UI codes for the
 * extension's pages. Nothing in core builds a wire code.
 */
import { instanceofAcrossCopies } from './cross-bundle.ts';

export type DomainErrorCode =
  /** The user declined (or closed the window). */
  | 'user_rejected'
  /** A request of that kind from this origin is already waiting for the user. */
  | 'pending'
  /** No active grant (revoked, expired, exhausted, not the caller's own, unknown). */
  | 'unauthorized'
  /** The wallet is locked (for a site: and the user dismissed unlocking it). */
  | 'locked'
  | 'not_found'
  /** Bad input; the message names the field. */
  | 'invalid_input'
  /** A credential was refused (bad signature, expired, not bound to this wallet, …). */
  | 'invalid_credential'
  /** A well-formed protocol request that fails a protocol check (OpenID4VP `invalid_request`). */
  | 'invalid_request'
  | 'not_initialized'
  | 'already_initialized'
  | 'wrong_password'
  | 'throttled'
  | 'internal';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** For `throttled` and `wrong_password`: when the next attempt is allowed. */
  readonly retryAfterMs: number | undefined;
  constructor(code: DomainErrorCode, message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}
// Made in one worker script and checked in another (cross-bundle.ts).
instanceofAcrossCopies(DomainError, 'DomainError');

/** The former name, kept while call sites move over. */
export { DomainError as CoreError };

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
