import { RequestCredentialsParams } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import { defineMethod } from './types.ts';

/** OpenID4VP with DCQL through the provider: the same answer as the Digital Credentials API's `data`. */
export const walletRequestCredentials = defineMethod({
  flow: async (wallet) => (await wallet.credentials()).presentation,
  run: (presentation, { origin, requestId }, params) =>
    presentation.request(origin, requestId, null, parseOrThrow(RequestCredentialsParams, params)),
});
