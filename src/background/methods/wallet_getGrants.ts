import { NoParams } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import type { MethodHandler } from './types.ts';

/** The calling origin's own grants, never another site's. */
export const walletGetGrants: MethodHandler = async ({ wallet, origin }, params) => {
  parseOrThrow(NoParams, params);
  return wallet.siteGrants(origin);
};
