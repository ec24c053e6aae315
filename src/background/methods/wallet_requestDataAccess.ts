import { RequestDataAccessParams } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import { defineMethod } from './types.ts';

/** Ongoing access to named data for stated purposes and a term; always asks the user. */
export const walletRequestDataAccess = defineMethod({
  flow: async (wallet) => (await wallet.credentials()).dataAccess,
  run: (dataAccess, { origin, requestId }, params) => dataAccess.request(origin, requestId, parseOrThrow(RequestDataAccessParams, params)),
});
