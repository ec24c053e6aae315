import { DigitalCredentialsGetParams } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import type { MethodHandler } from './types.ts';

/** The inpage `navigator.credentials.get` hook: answers `{ protocol, data }` like a DigitalCredential. */
export const tesseraDigitalCredentialsGet: MethodHandler = async ({ wallet, origin, requestId }, params) => {
  const { protocol, data } = parseOrThrow(DigitalCredentialsGetParams, params);
  return { protocol, data: await wallet.requestCredentials(origin, requestId, protocol, data) };
};
