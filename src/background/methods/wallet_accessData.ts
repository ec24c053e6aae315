import { AccessDataParams } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import { defineMethod } from './types.ts';

/** Fresh presentations under the caller's active data grant; never prompts; 4100 once it ended. */
export const walletAccessData = defineMethod({
  flow: async (wallet) => (await wallet.credentials()).dataAccess,
  run: (dataAccess, { origin }, params) => dataAccess.access(origin, parseOrThrow(AccessDataParams, params)),
});
