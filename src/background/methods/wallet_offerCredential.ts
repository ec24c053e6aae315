import { OfferCredentialParams } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import type { MethodHandler } from './types.ts';

/** A site offers a credential; the user sees who issued it and decides whether to keep it. */
export const walletOfferCredential: MethodHandler = async ({ wallet, origin, requestId }, params) =>
  wallet.offerCredential(origin, requestId, parseOrThrow(OfferCredentialParams, params));
