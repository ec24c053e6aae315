import { NoParams } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import { defineMethod } from './types.ts';

/** The calling origin's own grants, never another site's. */
export const walletGetGrants = defineMethod({
  flow: (wallet) => wallet.grants,
  run: async (grants, { origin }, params) => {
    parseOrThrow(NoParams, params);
    return grants.listForSite(origin);
  },
});
