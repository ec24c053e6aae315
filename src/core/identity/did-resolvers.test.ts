import { describe, expect, it } from 'vitest';
import { resolveSigningKey } from '../credentials/issuer-key.ts';
import { toBase64Url, utf8 } from '../encoding.ts';
import { createDidResolver } from './did-resolvers.ts';

const resolver = createDidResolver();
const P256 = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
const didJwk = (jwk: Record<string, unknown>) => `did:jwk:${toBase64Url(utf8(JSON.stringify(jwk)))}`;

describe('did:jwk resolution', () => {
  it('makes a JWK without use usable for every verification relationship', async () => {
    const did = didJwk(P256);
    const { didDocument } = await resolver.resolve(did);
    const vm = `${did}#0`;
    expect(didDocument).toMatchObject({
      id: did,
      verificationMethod: [{ id: vm, type: 'JsonWebKey2020', controller: did, publicKeyJwk: P256 }],
      assertionMethod: [vm],
      authentication: [vm],
      capabilityInvocation: [vm],
      capabilityDelegation: [vm],
      keyAgreement: [vm],
    });
    // So such an issuer can sign credentials, with a kid or without.
    expect((await resolveSigningKey(resolver, did, `${did}#0`, { relationship: 'assertionMethod' })).jwk).toEqual(P256);
    expect((await resolveSigningKey(resolver, did, undefined, { relationship: 'assertionMethod' })).kid).toBe(vm);
  });

  it('limits use "sig" to the signing relationships and use "enc" to keyAgreement', async () => {
    const sig = didJwk({ ...P256, use: 'sig' });
    const sigDocument = (await resolver.resolve(sig)).didDocument;
    expect(sigDocument?.assertionMethod).toEqual([`${sig}#0`]);
    expect(sigDocument).not.toHaveProperty('keyAgreement');

    const enc = didJwk({ ...P256, use: 'enc' });
    const encDocument = (await resolver.resolve(enc)).didDocument;
    expect(encDocument).toMatchObject({ keyAgreement: [`${enc}#0`] });
    expect(encDocument).not.toHaveProperty('assertionMethod');
    expect(encDocument).not.toHaveProperty('authentication');
    await expect(resolveSigningKey(resolver, enc, `${enc}#0`, { relationship: 'assertionMethod' })).rejects.toThrow(/is not an assertion method/);
    await expect(resolveSigningKey(resolver, enc, undefined, { relationship: 'assertionMethod' })).rejects.toThrow(/has no assertion method/);
  });

  it('refuses a did:jwk whose JWK carries private or secret members', async () => {
    for (const [extra, names] of [
      [{ d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI' }, 'd'],
      [{ p: 'AQ', q: 'AQ' }, 'p, q'],
      [{ dp: 'AQ', dq: 'AQ', qi: 'AQ' }, 'dp, dq, qi'],
      [{ oth: [] }, 'oth'],
    ] as const) {
      const did = didJwk({ ...P256, ...extra });
      const result = await resolver.resolve(did);
      expect(result.didDocument, names).toBeNull();
      expect(result.didResolutionMetadata.error).toBe(`invalidDid: the JWK has private key members (${names}); a did:jwk must hold a public key only`);
      await expect(resolveSigningKey(resolver, did, `${did}#0`)).rejects.toThrow(/private key members/);
    }
    expect((await resolver.resolve(didJwk({ kty: 'oct', k: 'c2VjcmV0' }))).didResolutionMetadata.error).toBe('invalidDid: the JWK is a symmetric key');
  });

  it('refuses identifiers that are not a JWK, and unknown use values', async () => {
    expect((await resolver.resolve('did:jwk:not-base64!')).didResolutionMetadata.error).toMatch(/^invalidDid/);
    expect((await resolver.resolve('did:jwk:abc')).didResolutionMetadata.error).toBe(
      'invalidDid: the method-specific id is not a base64url-encoded JSON object',
    );
    expect((await resolver.resolve(didJwk({ crv: 'P-256' }))).didResolutionMetadata.error).toBe('invalidDid: the JWK has no kty');
    expect((await resolver.resolve(`did:jwk:${toBase64Url(utf8('[1]'))}`)).didResolutionMetadata.error).toBe('invalidDid: the method-specific id is not a JWK');
    expect((await resolver.resolve(didJwk({ ...P256, use: 'wrap' }))).didResolutionMetadata.error).toBe('invalidDid: the JWK use wrap is neither sig nor enc');
  });

  it('resolves a DID URL with a fragment, and did:key as before', async () => {
    const did = didJwk(P256);
    expect((await resolver.resolve(`${did}#0`)).didDocument?.id).toBe(did);
    const didKey = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    expect((await resolver.resolve(didKey)).didDocument?.id).toBe(didKey);
  });
});
