import { DigitalCredentialsGetParams } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import { defineMethod } from './types.ts';

/** The inpage `navigator.credentials.get` hook: answers `{ protocol, data }` like a DigitalCredential. */
export const tesseraDigitalCredentialsGet = defineMethod({
  flow: async (wallet) => (await wallet.credentials()).presentation,
  run: async (presentation, { origin, requestId }, params) => {
    const { protocol, data } = parseOrThrow(DigitalCredentialsGetParams, params);
    return { protocol, data: await presentation.request(origin, requestId, protocol, data) };
  },
});
