import { describe, expect, it } from 'vitest';
import { resolveSigningKey } from './issuer-key.ts';
import type { DidDocument, DidResolver } from './types.ts';

const DID = 'did:example:issuer';
const jwk = (x: string): JsonWebKey => ({ kty: 'OKP', crv: 'Ed25519', x });
const document: DidDocument = {
  id: DID,
  verificationMethod: [
    { id: `${DID}#assert`, type: 'JsonWebKey2020', controller: DID, publicKeyJwk: jwk('YXNzZXJ0') },
    { id: `${DID}#login`, type: 'JsonWebKey2020', controller: DID, publicKeyJwk: jwk('bG9naW4') },
    { id: `${DID}#leaked`, type: 'JsonWebKey2020', controller: DID, publicKeyJwk: { ...jwk('bGVha2Vk'), d: 'c2VjcmV0' } },
  ],
  assertionMethod: [`${DID}#assert`],
  authentication: [`${DID}#login`],
};
/** Keys for authentication only: no assertion method at all. */
const LOGIN_ONLY = 'did:example:login-only';
const loginOnly: DidDocument = {
  id: LOGIN_ONLY,
  verificationMethod: [{ id: `${LOGIN_ONLY}#login`, type: 'JsonWebKey2020', controller: LOGIN_ONLY, publicKeyJwk: jwk('bG9naW4') }],
  authentication: [`${LOGIN_ONLY}#login`],
};
const documents = new Map([
  [DID, document],
  [LOGIN_ONLY, loginOnly],
]);
const resolver: DidResolver = {
  resolve: async (did) => {
    const didDocument = documents.get(did) ?? null;
    return didDocument ? { didDocument, didResolutionMetadata: {} } : { didDocument: null, didResolutionMetadata: { error: 'notFound' } };
  },
};

describe('resolveSigningKey', () => {
  it('finds the key a kid names, by DID URL or fragment', async () => {
    expect(await resolveSigningKey(resolver, DID, `${DID}#assert`)).toEqual({ kid: `${DID}#assert`, jwk: jwk('YXNzZXJ0') });
    expect((await resolveSigningKey(resolver, DID, '#login')).jwk).toEqual(jwk('bG9naW4'));
  });

  it('refuses a key that publishes its private members, rather than strip them', async () => {
    await expect(resolveSigningKey(resolver, DID, '#leaked')).rejects.toThrow(
      `${DID}#leaked publishes private key material (d), so anyone can sign with it`,
    );
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

  it('applies the assertion check without a kid too: no fallback to the first verification method', async () => {
    await expect(resolveSigningKey(resolver, LOGIN_ONLY, undefined, { relationship: 'assertionMethod' })).rejects.toThrow(
      `${LOGIN_ONLY} has no assertion method, so it cannot sign credentials`,
    );
    await expect(resolveSigningKey(resolver, LOGIN_ONLY, null, { relationship: 'assertionMethod' })).rejects.toThrow(/has no assertion method/);
    expect((await resolveSigningKey(resolver, DID, undefined, { relationship: 'assertionMethod' })).kid).toBe(`${DID}#assert`);
    // Outside credentials (no relationship asked for), a DID's only key still verifies.
    expect((await resolveSigningKey(resolver, LOGIN_ONLY)).kid).toBe(`${LOGIN_ONLY}#login`);
  });
});
