/**
 * Error codes a website sees (DESIGN.md §3.2), in the EIP-1193 manner.
 * Core throws WalletError with one of these codes; the edge turns it into `{ code, message }`.
 */
export const RpcErrorCode = {
  userRejected: 4001,
  unauthorized: 4100,
  unsupportedMethod: 4200,
  disconnected: 4900,
  invalidParams: -32602,
  invalidRequest: -32600,
  requestPending: -32002,
  internal: -32603,
} as const;

export type RpcErrorCodeValue = (typeof RpcErrorCode)[keyof typeof RpcErrorCode];

export interface RpcErrorObject {
  code: number;
  message: string;
}

/** A typed error with a stable code; safe to show to the requesting site. */
export class WalletError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = 'WalletError';
    this.code = code;
  }

  toJSON(): RpcErrorObject {
    return { code: this.code, message: this.message };
  }
}

/** The answer to re-attaching to a request the worker never saw (or already answered). */
export const UNKNOWN_REQUEST = 'Unknown or expired request.';

export const userRejected = (message = 'User rejected the request.') =>
  new WalletError(RpcErrorCode.userRejected, message);
export const unauthorized = (message = 'No active grant for this request.') =>
  new WalletError(RpcErrorCode.unauthorized, message);
export const unsupportedMethod = (method: string) =>
  new WalletError(RpcErrorCode.unsupportedMethod, `Unsupported method: ${method}`);
export const invalidParams = (message: string) =>
  new WalletError(RpcErrorCode.invalidParams, `Invalid params: ${message}`);
export const requestPending = (kind: string) =>
  new WalletError(
    RpcErrorCode.requestPending,
    `A ${kind} request from this origin is already pending; wait for it to finish.`,
  );
export const walletLocked = (message = 'The wallet is locked and the user dismissed unlocking it.') =>
  new WalletError(RpcErrorCode.disconnected, message);
export const internalError = (message = 'Internal wallet error.') =>
  new WalletError(RpcErrorCode.internal, message);

/** Turns anything thrown into the object shape a page receives; internals never leak. */
export function toRpcError(error: unknown): RpcErrorObject {
  if (error instanceof WalletError) return error.toJSON();
  if (isRpcErrorObject(error)) return { code: error.code, message: error.message };
  return { code: RpcErrorCode.internal, message: 'Internal wallet error.' };
}

export function isRpcErrorObject(value: unknown): value is RpcErrorObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RpcErrorObject).code === 'number' &&
    typeof (value as RpcErrorObject).message === 'string'
  );
}
