import { RequestIdentityParams } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import { defineMethod } from './types.ts';

/** DID authentication with the site's pairwise DID; prompts unless the site is connected. */
export const walletRequestIdentity = defineMethod({
  flow: (wallet) => wallet.identity,
  run: (identity, { origin, requestId }, params) => identity.request(origin, requestId, parseOrThrow(RequestIdentityParams, params)),
});
