import { describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createEd25519Did } from './did-key.ts';
import { OAuthError } from './openid4vci-grants.ts';
import { didKeyOfJwk, jwkOfDidKeyUrl, verifyProofJwt } from './openid4vci-proof.ts';

const ISSUER = 'http://127.0.0.1:9';

describe('OpenID4VCI proof keys', () => {
  it('names an Ed25519 and a P-256 key by the same did:key either way', async () => {
    const ed = createEd25519Did();
    expect(didKeyOfJwk(ed.publicJwk)).toBe(ed.did);
    expect(jwkOfDidKeyUrl(ed.kid)).toEqual(ed.publicJwk);
    const { publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    const did = didKeyOfJwk(jwk);
    expect(did).toMatch(/^did:key:zDn/);
    expect(jwkOfDidKeyUrl(`${did}#${did.slice('did:key:'.length)}`)).toEqual({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y });
  });

  it('refuses a did:key URL whose fragment is another key', () => {
    const a = createEd25519Did();
    const b = createEd25519Did();
    expect(() => jwkOfDidKeyUrl(`${a.did}#${b.did.slice('did:key:'.length)}`)).toThrow(OAuthError);
  });

  it('verifies an ES256 proof naming its P-256 key by did:key kid, and uses the nonce only once it verified', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const did = didKeyOfJwk(await exportJWK(publicKey));
    const taken: unknown[] = [];
    const check = { credentialIssuer: ISSUER, takeNonce: (n: unknown) => (taken.push(n), n === 'n-1') };
    const sign = (aud: string) =>
      new SignJWT({ aud, nonce: 'n-1' })
        .setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', kid: `${did}#${did.slice('did:key:'.length)}` })
        .setIssuedAt()
        .sign(privateKey);
    await expect(verifyProofJwt(await sign('http://elsewhere.example'), check)).rejects.toThrow(/aud/);
    expect(taken).toEqual([]);
    await expect(verifyProofJwt(await sign(ISSUER), check)).resolves.toMatchObject({ did, alg: 'ES256' });
    expect(taken).toEqual(['n-1']);
  });
});
