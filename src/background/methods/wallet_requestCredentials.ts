import { RequestCredentialsParams } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import type { MethodHandler } from './types.ts';

/** OpenID4VP with DCQL through the provider: the same answer as the Digital Credentials API's `data`. */
export const walletRequestCredentials: MethodHandler = async ({ wallet, origin, requestId }, params) =>
  wallet.requestCredentials(origin, requestId, null, parseOrThrow(RequestCredentialsParams, params));
