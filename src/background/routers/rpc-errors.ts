import { RpcErrorCode, WalletError, type RpcErrorObject } from '../../protocol/errors.ts';
import { isDomainError, type DomainErrorCode } from '../../core/errors.ts';

/** Domain codes as a site sees them (DESIGN.md §3.2). Anything not listed is internal to the wallet. */
const RPC_CODE_OF: Partial<Record<DomainErrorCode, number>> = {
  user_rejected: RpcErrorCode.userRejected,
  pending: RpcErrorCode.requestPending,
  unauthorized: RpcErrorCode.unauthorized,
  // A site asking about something that is not there (or not its own) hears what an unauthorised call hears.
  not_found: RpcErrorCode.unauthorized,
  locked: RpcErrorCode.disconnected,
  invalid_input: RpcErrorCode.invalidParams,
  invalid_credential: RpcErrorCode.invalidParams,
  invalid_request: RpcErrorCode.invalidRequest,
};

const INTERNAL: RpcErrorObject = { code: RpcErrorCode.internal, message: 'Internal wallet error.' };

/** A domain error (live, or as stored in a reply) in the `{ code, message }` shape a page receives. */
export function domainToRpc(code: DomainErrorCode, message: string): RpcErrorObject {
  const rpc = RPC_CODE_OF[code];
  if (rpc === undefined) return INTERNAL;
  if (code === 'invalid_input') return { code: rpc, message: `Invalid params: ${message}` };
  if (code === 'invalid_credential') return { code: rpc, message: `Invalid params: params.credential: ${message}` };
  return { code: rpc, message };
}

/** Turns anything thrown into what a page receives; internals never leak. */
export function toRpcError(error: unknown): RpcErrorObject {
  if (error instanceof WalletError) return error.toJSON();
  if (isDomainError(error)) return domainToRpc(error.code, error.message);
  return INTERNAL;
}

/** Errors worth a console line: not the expected refusals of bad or unwelcome requests. */
export const isUnexpected = (error: unknown) =>
  !(error instanceof WalletError) && !(isDomainError(error) && RPC_CODE_OF[error.code] !== undefined);
