import type { UiErrorCode } from '../protocol/internal.ts';

/**
 * An error from core meant for the wallet's own pages (wrong password, locked, ...).
 * Website-facing errors use protocol's WalletError instead.
 */
export class CoreError extends Error {
  readonly code: UiErrorCode;
  readonly retryAfterMs: number | undefined;
  constructor(code: UiErrorCode, message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'CoreError';
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}
