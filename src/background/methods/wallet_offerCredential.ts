import { OfferCredentialParams } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import { defineMethod } from './types.ts';

/**
 * A site offers a credential: a compact credential (the user sees who issued it and
 * decides whether to keep it), or an OpenID4VCI credential offer (the user sees the
 * issuer and decides whether to receive it).
 */
export const walletOfferCredential = defineMethod({
  flow: async (wallet) => wallet.credentials(),
  run: ({ intake, issuance }, { origin, requestId }, params) => {
    const parsed = parseOrThrow(OfferCredentialParams, params);
    return 'credential' in parsed ? intake.offer(origin, requestId, parsed) : issuance.offerFromSite(origin, requestId, parsed.credential_offer);
  },
});
