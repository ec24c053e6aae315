import { RequestIdentityParams } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import type { MethodHandler } from './types.ts';

/** DID authentication with the site's pairwise DID; prompts unless the site is connected. */
export const walletRequestIdentity: MethodHandler = async ({ wallet, origin, requestId }, params) =>
  wallet.requestIdentity(origin, requestId, parseOrThrow(RequestIdentityParams, params));
