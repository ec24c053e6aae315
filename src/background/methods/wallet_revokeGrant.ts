import { RevokeGrantParams } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import type { MethodHandler } from './types.ts';

/** The site gives up one of its own grants; another site's id answers 4100 like an unknown one. */
export const walletRevokeGrant: MethodHandler = async ({ wallet, origin }, params) => {
  const { grantId } = parseOrThrow(RevokeGrantParams, params);
  return wallet.siteRevokeGrant(origin, grantId);
};
