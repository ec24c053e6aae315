import { describe, expect, it } from 'vitest';
import { resolveSigningKey } from './issuer-key.ts';
import type { DidDocument, DidResolver } from './types.ts';

const DID = 'did:example:issuer';
const jwk = (x: string): JsonWebKey => ({ kty: 'OKP', crv: 'Ed25519', x });
const document: DidDocument = {
  id: DID,
  verificationMethod: [
    { id: `${DID}#assert`, type: 'JsonWebKey2020', controller: DID, publicKeyJwk: jwk('YXNzZXJ0') },
    { id: `${DID}#login`, type: 'JsonWebKey2020', controller: DID, publicKeyJwk: { ...jwk('bG9naW4'), d: 'c2VjcmV0' } },
  ],
  assertionMethod: [`${DID}#assert`],
  authentication: [`${DID}#login`],
};
const resolver: DidResolver = {
  resolve: async (did) =>
    did === DID ? { didDocument: document, didResolutionMetadata: {} } : { didDocument: null, didResolutionMetadata: { error: 'notFound' } },
};

describe('resolveSigningKey', () => {
  it('finds the key a kid names, by DID URL or fragment, without private members', async () => {
    expect(await resolveSigningKey(resolver, DID, `${DID}#assert`)).toEqual({ kid: `${DID}#assert`, jwk: jwk('YXNzZXJ0') });
    expect((await resolveSigningKey(resolver, DID, '#login')).jwk).toEqual(jwk('bG9naW4'));
  });

  it('uses the first assertion method when there is no kid', async () => {
    expect((await resolveSigningKey(resolver, DID)).kid).toBe(`${DID}#assert`);
  });

  it('refuses a key of another DID, an unknown key and an unresolvable DID', async () => {
    await expect(resolveSigningKey(resolver, DID, 'did:example:other#assert')).rejects.toThrow(/does not belong to did:example:issuer/);
    await expect(resolveSigningKey(resolver, DID, '#nope')).rejects.toThrow(/has no verification method #nope/);
    await expect(resolveSigningKey(resolver, 'did:example:ghost', '#a')).rejects.toThrow(/Cannot resolve did:example:ghost: notFound/);
  });

  it('lets only assertion methods sign credentials', async () => {
    await expect(resolveSigningKey(resolver, DID, '#login', { relationship: 'assertionMethod' })).rejects.toThrow(
      /#login is not an assertion method of did:example:issuer/,
    );
    expect((await resolveSigningKey(resolver, DID, '#assert', { relationship: 'assertionMethod' })).kid).toBe(`${DID}#assert`);
  });
});
