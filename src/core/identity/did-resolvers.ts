import { base64urlnopad } from '@scure/base';
import { getDidKeyResolver } from '@veramo/did-provider-key';
import { type DIDResolutionResult, type DIDResolver, Resolver } from 'did-resolver';
import { privateMembers } from '../credentials/issuer-key.ts';
import type { DidResolver } from '../credentials/types.ts';
import { fromUtf8 } from '../encoding.ts';
import type { HttpFetcher } from '../ports.ts';
import { DidDocumentCache } from './did-document-cache.ts';
import { didWebResolver } from './did-web-resolver.ts';

/** One did:web document cache per fetcher (per worker), shared by every resolver made for it. */
const caches = new WeakMap<HttpFetcher, DidDocumentCache>();

/**
 * Resolves the DID methods the wallet works with: did:key and did:jwk offline, and
 * did:web over the network when a fetcher is given (did-web-resolver.ts: https only,
 * the URL policy, HTTP caching; its header says when a site's did:web is resolved).
 * Issuers, verifiers' client_ids, accreditation bodies and the wallet's own DIDs.
 */
export function createDidResolver(network?: { fetcher: HttpFetcher; now: () => number }): DidResolver {
  const web = network ? didWebResolver({ ...network, cache: cacheFor(network.fetcher) }) : {};
  const resolver = new Resolver({ ...getDidKeyResolver(), ...didJwkResolver(), ...web });
  return {
    resolve: async (didUrl) => {
      const result = await resolver.resolve(didUrl);
      return { didDocument: result.didDocument as never, didResolutionMetadata: { error: result.didResolutionMetadata.error } };
    },
  };
}

function cacheFor(fetcher: HttpFetcher): DidDocumentCache {
  let cache = caches.get(fetcher);
  if (!cache) caches.set(fetcher, (cache = new DidDocumentCache()));
  return cache;
}

const SIGNING_RELATIONSHIPS = ['assertionMethod', 'authentication', 'capabilityInvocation', 'capabilityDelegation'] as const;

/**
 * A did:jwk resolver following the did:jwk method specification, in place of
 * Veramo's, which lists no verification relationship at all for a JWK without `use`
 * and accepts a JWK that carries its private key:
 * - a JWK with private members (`d`, …) or a symmetric key is refused: its "public"
 *   key is anyone's to sign with;
 * - without `use` the key serves every verification relationship; with
 *   `use: "sig"` all but keyAgreement; with `use: "enc"` only keyAgreement.
 */
export function didJwkResolver(): Record<string, DIDResolver> {
  return { jwk: async (_did, parsed) => resolveDidJwk(parsed.did, parsed.id) };
}

function resolveDidJwk(did: string, methodSpecificId: string): DIDResolutionResult {
  let jwk: unknown;
  try {
    jwk = JSON.parse(fromUtf8(base64urlnopad.decode(methodSpecificId)));
  } catch {
    return invalid('the method-specific id is not a base64url-encoded JSON object');
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return invalid('the method-specific id is not a JWK');
  const key = jwk as Record<string, unknown>;
  if (typeof key.kty !== 'string') return invalid('the JWK has no kty');
  if (key.kty === 'oct') return invalid('the JWK is a symmetric key');
  const secret = privateMembers(key);
  if (secret.length > 0) return invalid(`the JWK has private key members (${secret.join(', ')}); a did:jwk must hold a public key only`);
  if (key.use !== undefined && key.use !== 'sig' && key.use !== 'enc') return invalid(`the JWK use ${String(key.use)} is neither sig nor enc`);

  const method = `${did}#0`;
  const signing = key.use !== 'enc';
  const agreement = key.use !== 'sig';
  const relationships = Object.fromEntries([
    ...(signing ? SIGNING_RELATIONSHIPS.map((name) => [name, [method]]) : []),
    ...(agreement ? [['keyAgreement', [method]]] : []),
  ]);
  return {
    didResolutionMetadata: { contentType: 'application/did+ld+json' },
    didDocumentMetadata: {},
    didDocument: {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
      id: did,
      verificationMethod: [{ id: method, type: 'JsonWebKey2020', controller: did, publicKeyJwk: key as JsonWebKey }],
      ...relationships,
    },
  };
}

const invalid = (message: string): DIDResolutionResult => ({
  didResolutionMetadata: { error: `invalidDid: ${message}` },
  didDocumentMetadata: {},
  didDocument: null,
});
