import { OfferCredentialParams } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import { defineMethod } from './types.ts';

/** A site offers a credential; the user sees who issued it and decides whether to keep it. */
export const walletOfferCredential = defineMethod({
  flow: async (wallet) => (await wallet.credentials()).intake,
  run: (intake, { origin, requestId }, params) => intake.offer(origin, requestId, parseOrThrow(OfferCredentialParams, params)),
});
