import { getDidJwkResolver } from '@veramo/did-provider-jwk';
import { getDidKeyResolver } from '@veramo/did-provider-key';
import { Resolver } from 'did-resolver';
import type { DidResolver } from '../credentials/types.ts';

/**
 * Resolves the DID methods the wallet works with offline: did:key and did:jwk
 * (issuers, verifiers' client_ids and the wallet's own DIDs).
 */
export function createDidResolver(): DidResolver {
  const resolver = new Resolver({ ...getDidKeyResolver(), ...getDidJwkResolver() });
  return {
    resolve: async (didUrl) => {
      const result = await resolver.resolve(didUrl);
      return { didDocument: result.didDocument as never, didResolutionMetadata: { error: result.didResolutionMetadata.error } };
    },
  };
}
