import { RevokeGrantParams } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import { defineMethod } from './types.ts';

/** The site gives up one of its own grants; another site's id answers 4100 like an unknown one. */
export const walletRevokeGrant = defineMethod({
  flow: (wallet) => wallet.grants,
  run: (grants, { origin }, params) => grants.revokeAsSite(origin, parseOrThrow(RevokeGrantParams, params).grantId),
});
