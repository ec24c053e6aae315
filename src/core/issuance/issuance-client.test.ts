import { describe, expect, it } from 'vitest';
import { verifyCredential } from '../credentials/verify-credential.ts';
import { toHex } from '../encoding.ts';
import { ed25519Signer } from '../identity/ed25519-signer.ts';
import { createTestHolder, createTestIssuer, fakeHolderKeys, testResolver, type TestHolder } from '../../../test/support/issuers.ts';
import { MemoryOpenId4VciIssuer, type TestIssuerOptions } from '../../../test/support/openid4vci-issuer.ts';
import { codeFromRedirect, startAuthorization, TESSERA_CLIENT_ID } from './authorization-code.ts';
import { checkTxCode, offerSourceOf, resolveCredentialOffer } from './credential-offer.ts';
import { fetchCredentials, loadAuthorizationServer, loadIssuer, redeemGrant, type HolderKey } from './issuance-client.ts';
import { wellKnownUrl } from './issuer-metadata.ts';
import { issuerDisplayOf, credentialDisplayOf, fetchLogo } from './issuer-display.ts';
import type { HttpFetcher } from '../ports.ts';

async function holderKeyOf(holder: TestHolder): Promise<HolderKey> {
  const seed = Buffer.from(holder.privateJwk.d ?? '', 'base64url');
  const signer = await ed25519Signer(holder.kid, toHex(seed) + holder.publicKeyHex);
  return { signer, kid: holder.kid, publicJwk: holder.publicJwk };
}

async function setUp(options: Partial<TestIssuerOptions> = {}) {
  const issuer = new MemoryOpenId4VciIssuer({ key: await createTestIssuer(), ...options });
  const holder = await createTestHolder();
  return { issuer, holder, key: await holderKeyOf(holder) };
}

/** The pre-authorized flow end to end: the raw credentials. */
async function receive(issuer: MemoryOpenId4VciIssuer, key: HolderKey, txCode?: string, ids?: string[]) {
  const offer = await resolveCredentialOffer(issuer, offerSourceOf(issuer.offerUri(ids)));
  const metadata = await loadIssuer(issuer, offer);
  const server = await loadAuthorizationServer(issuer, metadata, offer.preAuthorized?.authorizationServer);
  const token = await redeemGrant(issuer, server, { type: 'pre-authorized', code: offer.preAuthorized?.code ?? '', txCode });
  return fetchCredentials(issuer, metadata, offer.configurationIds, token, key, { now: Date.now });
}

describe('credential offers', () => {
  it('reads an offer by value from the custom scheme, an https link, JSON text and an object', async () => {
    const { issuer } = await setUp();
    const fromScheme = await resolveCredentialOffer(issuer, offerSourceOf(issuer.offerUri()));
    expect(fromScheme).toMatchObject({ credentialIssuer: 'https://issuer.example', configurationIds: ['PersonId', 'Diploma', 'Membership'] });
    expect(fromScheme.preAuthorized?.code).toBe(issuer.preAuthorizedCode);
    const https = `https://wallet.example/offer?credential_offer=${encodeURIComponent(JSON.stringify(issuer.offer()))}#x`;
    expect(await resolveCredentialOffer(issuer, offerSourceOf(https))).toEqual(fromScheme);
    expect(await resolveCredentialOffer(issuer, offerSourceOf(JSON.stringify(issuer.offer())))).toEqual(fromScheme);
    expect(await resolveCredentialOffer(issuer, offerSourceOf(issuer.offer()))).toEqual(fromScheme);
    expect(issuer.requests).toEqual([]);
  });

  it('fetches an offer by reference', async () => {
    const { issuer } = await setUp();
    const uri = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent('https://issuer.example/offers/1')}`;
    expect(offerSourceOf(uri)).toEqual({ byReference: 'https://issuer.example/offers/1' });
    const offer = await resolveCredentialOffer(issuer, offerSourceOf(uri));
    expect(offer.configurationIds).toHaveLength(3);
    expect(issuer.requests.map((r) => r.url)).toEqual(['https://issuer.example/offers/1']);
  });

  it('refuses malformed offers and offers by reference to private addresses, each named', async () => {
    const { issuer } = await setUp();
    expect(() => offerSourceOf('https://example.org/page?x=1')).toThrow(/neither credential_offer nor credential_offer_uri/);
    expect(() => offerSourceOf('mailto:x@example.org')).toThrow(/Not a credential offer/);
    expect(() => offerSourceOf('openid-credential-offer://?credential_offer=%7Bnope')).toThrow(/not valid JSON/);
    const bad = (offer: unknown) => resolveCredentialOffer(issuer, { byValue: offer });
    await expect(bad({ credential_issuer: 'https://issuer.example', credential_configuration_ids: [] })).rejects.toThrow(/credential_configuration_ids/);
    await expect(bad({ credential_issuer: 'http://issuer.example', credential_configuration_ids: ['a'] })).rejects.toThrow(/http: is allowed only to loopback/);
    await expect(bad({ credential_issuer: 'https://10.1.2.3', credential_configuration_ids: ['a'] })).rejects.toThrow(/is refused/);
    await expect(bad({ credential_issuer: 'https://issuer.example?x=1', credential_configuration_ids: ['a'] })).rejects.toThrow(/no query or fragment/);
    await expect(resolveCredentialOffer(issuer, { byReference: 'https://192.168.1.1/offer' })).rejects.toThrow(/credential offer URL is refused/);
    expect(issuer.requests).toEqual([]);
  });

  it('checks the typed transaction code against the offer', () => {
    const spec = { inputMode: 'numeric' as const, length: 4 };
    expect(checkTxCode(spec, '1234')).toBe('1234');
    expect(() => checkTxCode(spec, undefined)).toThrow(/asks for a transaction code/);
    expect(() => checkTxCode(spec, '12a4')).toThrow(/digits only/);
    expect(() => checkTxCode(spec, '123')).toThrow(/has 4 characters/);
  });
});

describe('issuer metadata', () => {
  it('inserts the well-known path before an issuer path', () => {
    expect(wellKnownUrl('https://issuer.example', 'openid-credential-issuer')).toBe('https://issuer.example/.well-known/openid-credential-issuer');
    expect(wellKnownUrl('https://issuer.example/tenant/a/', 'openid-credential-issuer')).toBe('https://issuer.example/.well-known/openid-credential-issuer/tenant/a');
  });

  it('is fetched for an issuer with a path', async () => {
    const { issuer, key } = await setUp({ issuerUrl: 'https://issuer.example/tenant' });
    expect(await receive(issuer, key, undefined, ['Diploma'])).toHaveLength(1);
    expect(issuer.requests[0]?.url).toBe('https://issuer.example/.well-known/openid-credential-issuer/tenant');
  });

  it('refuses metadata for another issuer than offered', async () => {
    const { issuer, key } = await setUp({ metadata: { credential_issuer: 'https://evil.example' } });
    await expect(receive(issuer, key)).rejects.toThrow('The issuer metadata is for https://evil.example, not for https://issuer.example as offered');
  });

  it('refuses endpoints on private addresses before sending anything there', async () => {
    const { issuer, key } = await setUp({ metadata: { credential_endpoint: 'https://169.254.169.254/credential' } });
    await expect(receive(issuer, key)).rejects.toThrow(/credential_endpoint https:\/\/169\.254\.169\.254\/credential is refused/);
    const loopbackNonce = await setUp({ metadata: { nonce_endpoint: 'https://[fd00::1]/nonce' } });
    await expect(receive(loopbackNonce.issuer, loopbackNonce.key)).rejects.toThrow(/nonce_endpoint .* is refused/);
  });

  it('refuses a configuration the metadata lacks and a format the wallet cannot hold', async () => {
    const { issuer, key } = await setUp({ formats: { Mdl: 'mso_mdoc' as never } });
    await expect(receive(issuer, key)).rejects.toThrow(/offers Mdl as mso_mdoc, which Tessera cannot hold/);
    const other = await setUp();
    await expect(receive(other.issuer, other.key, undefined, ['Unknown'])).rejects.toThrow('does not describe the offered credential Unknown');
  });

  it('refuses an oversized metadata document', async () => {
    const { issuer, key } = await setUp({ metadata: { padding: 'x'.repeat(300 * 1024) } });
    await expect(receive(issuer, key)).rejects.toThrow(/larger than 256 KiB/);
  });

  it('gives the issuer display with its logo as a data: URI and the credential display', async () => {
    const { issuer } = await setUp();
    const metadata = await loadIssuer(issuer, await resolveCredentialOffer(issuer, offerSourceOf(issuer.offer())));
    const display = await issuerDisplayOf(issuer, metadata.display);
    expect(display).toEqual([{ name: 'Example Registry', locale: 'en', logo: { dataUri: expect.stringMatching(/^data:image\/svg\+xml;base64,/), alt: 'Registry logo' } }]);
    const card = await credentialDisplayOf(issuer, metadata.configurations.PersonId!);
    expect(card).toEqual({
      source: 'issuer-metadata',
      cards: [{ name: 'PersonId card', locale: 'en', backgroundColor: '#12107c', textColor: '#ffffff' }],
      claims: [{ path: ['given_name'], labels: [{ label: 'Given name', locale: 'en' }] }],
    });
  });
});

describe('logos', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const served = (contentType: string, bytes: Buffer): HttpFetcher => ({
    get: async (_url, _limits, options) => ({ status: 200, contentType, body: options?.bodyEncoding === 'base64' ? bytes.toString('base64') : bytes.toString('utf8') }),
    post: async () => {
      throw new Error('no POST');
    },
  });

  it('stores an image as a data: URI, byte for byte', async () => {
    expect(await fetchLogo(served('image/png', png), { uri: 'https://issuer.example/logo.png', alt_text: 'Logo' })).toEqual({
      dataUri: `data:image/png;base64,${png.toString('base64')}`,
      alt: 'Logo',
    });
  });

  it('fetches each distinct logo once, and at most four for one display', async () => {
    const asked: string[] = [];
    const fetcher: HttpFetcher = { ...served('image/png', png), get: async (url, limits, options) => (asked.push(url), served('image/png', png).get(url, limits, options)) };
    const entries = [1, 1, 2, 3, 4, 5, 6].map((n, i) => ({ name: `Issuer ${i}`, locale: `l${i}`, logo: { uri: `https://issuer.example/logo${n}.png` } }));
    const display = await issuerDisplayOf(fetcher, entries);
    expect(asked).toEqual([1, 2, 3, 4].map((n) => `https://issuer.example/logo${n}.png`));
    expect(display.map((d) => Boolean(d.logo))).toEqual([true, true, true, true, true, false, false]);
  });

  it('leaves out a logo that is not an image, too large, on a private address or an unsafe data: URI', async () => {
    expect(await fetchLogo(served('text/html', png), { uri: 'https://issuer.example/logo.png' })).toBeUndefined();
    expect(await fetchLogo(served('image/png', Buffer.alloc(65 * 1024)), { uri: 'https://issuer.example/logo.png' })).toBeUndefined();
    expect(await fetchLogo(served('image/png', png), { uri: 'https://10.0.0.1/logo.png' })).toBeUndefined();
    expect(await fetchLogo(served('image/png', png), { uri: 'data:text/html;base64,PHNjcmlwdD4=' })).toBeUndefined();
    expect(await fetchLogo(served('image/png', png), { uri: 'data:image/png;base64,iVBORw0K' })).toEqual({ dataUri: 'data:image/png;base64,iVBORw0K' });
  });
});

describe('the pre-authorized code flow', () => {
  it('receives each of the three formats, each verifying against the holder key', async () => {
    const { issuer, holder, key } = await setUp();
    const issued = await receive(issuer, key);
    expect(issued.map((i) => i.configurationId)).toEqual(['PersonId', 'Diploma', 'Membership']);
    const formats = [];
    for (const { credential } of issued) {
      const verified = await verifyCredential(credential, { resolver: testResolver(), holderKeys: fakeHolderKeys([holder]), now: Date.now() });
      expect(verified.holder.did).toBe(holder.did);
      formats.push(verified.format);
    }
    expect(formats).toEqual(['dc+sd-jwt', 'jwt_vc_json', 'vc+jwt']);
  });

  it('proves possession: typ openid4vci-proof+jwt, aud the issuer, a fresh nonce each, kid the holder DID URL', async () => {
    const { issuer, holder, key } = await setUp();
    await receive(issuer, key);
    expect(issuer.proofs).toHaveLength(3);
    for (const proof of issuer.proofs) {
      expect(proof.header).toMatchObject({ typ: 'openid4vci-proof+jwt', alg: 'EdDSA', kid: holder.kid });
      expect(proof.payload).toMatchObject({ aud: 'https://issuer.example', nonce: expect.stringMatching(/^n-/) });
      expect(Math.abs((proof.payload.iat as number) - Date.now() / 1000)).toBeLessThan(5);
      expect(proof.payload.iss).toBeUndefined();
    }
    expect(new Set(issuer.proofs.map((p) => p.payload.nonce)).size).toBe(3);
    const credentialCalls = issuer.requests.filter((r) => r.url.endsWith('/credential'));
    expect(credentialCalls[0]?.headers?.authorization).toMatch(/^Bearer at-/);
    expect(JSON.parse(credentialCalls[0]?.body ?? '')).toEqual({ credential_configuration_id: 'PersonId', proofs: { jwt: [expect.any(String)] } });
  });

  it('puts the key in the proof as a JWK where the issuer binds JWKs, and the credential binds to it', async () => {
    const { issuer, holder, key } = await setUp({ jwkBinding: true, formats: { PersonId: 'dc+sd-jwt' } });
    const [issued] = await receive(issuer, key);
    expect(issuer.proofs[0]?.header.jwk).toEqual(holder.publicJwk);
    expect(issuer.proofs[0]?.header.kid).toBeUndefined();
    const verified = await verifyCredential(issued!.credential, { resolver: testResolver(), holderKeys: fakeHolderKeys([holder]), now: Date.now() });
    expect(verified.holder.did).toBe(holder.did);
  });

  it('asks by each credential_identifier the token response named, not by configuration id', async () => {
    const { issuer, key } = await setUp({ credentialIdentifiers: true, formats: { Diploma: 'jwt_vc_json' } });
    expect(await receive(issuer, key)).toHaveLength(2);
    const bodies = issuer.requests.filter((r) => r.url.endsWith('/credential')).map((r) => JSON.parse(r.body ?? '{}') as Record<string, unknown>);
    expect(bodies.map((b) => [b.credential_identifier, b.credential_configuration_id])).toEqual([
      ['Diploma-a', undefined],
      ['Diploma-b', undefined],
    ]);
  });

  it('uses the token response c_nonce when the issuer has no nonce endpoint', async () => {
    const { issuer, key } = await setUp({ tokenNonce: true, formats: { Diploma: 'jwt_vc_json' } });
    expect(await receive(issuer, key)).toHaveLength(1);
    expect(issuer.requests.some((r) => r.url.endsWith('/nonce'))).toBe(false);
  });

  it('sends the transaction code, and shows the issuer\'s error for a wrong one', async () => {
    const { issuer, key } = await setUp({ txCode: '4821', formats: { Diploma: 'jwt_vc_json' } });
    const offer = await resolveCredentialOffer(issuer, offerSourceOf(issuer.offer()));
    expect(offer.preAuthorized?.txCode).toEqual({ inputMode: 'numeric', length: 4, description: 'The code in your e-mail' });
    await expect(receive(issuer, key, '1111')).rejects.toThrow(
      'The issuer refused the pre-authorized code and transaction code: invalid_grant (the transaction code is wrong)',
    );
    expect(await receive(issuer, key, '4821')).toHaveLength(1);
    const token = issuer.requests.find((r) => r.url.endsWith('/token') && r.body?.includes('4821'));
    expect(new URLSearchParams(token?.body).get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:pre-authorized_code');
  });

  it('refuses, at verification, a credential bound to a key the holder does not have', async () => {
    const stranger = await createTestHolder();
    const { issuer, holder, key } = await setUp({ bindTo: stranger.did, formats: { Diploma: 'jwt_vc_json' } });
    const [issued] = await receive(issuer, key);
    await expect(verifyCredential(issued!.credential, { resolver: testResolver(), holderKeys: fakeHolderKeys([holder]), now: Date.now() })).rejects.toThrow(
      /bound to .*which this wallet does not hold/,
    );
  });
});

describe('the authorization code flow', () => {
  it('sends PKCE S256, state and authorization_details; the code is exchanged once', async () => {
    const { issuer, key } = await setUp({ formats: { Diploma: 'jwt_vc_json' } });
    const offer = await resolveCredentialOffer(issuer, { byValue: issuer.offer(undefined, 'authorization_code') });
    const metadata = await loadIssuer(issuer, offer);
    const server = await loadAuthorizationServer(issuer, metadata, undefined);
    const redirectUri = 'https://abcdefghijklmnop.chromiumapp.org/openid4vci/callback';
    const start = await startAuthorization({
      authorizationEndpoint: server.authorizationEndpoint!,
      credentialIssuer: metadata.credentialIssuer,
      redirectUri,
      configurations: [{ id: 'Diploma', scope: 'diploma' }],
      issuerState: offer.authorizationCode?.issuerState,
    });
    const asked = new URL(start.url).searchParams;
    expect(Object.fromEntries(asked)).toMatchObject({
      response_type: 'code',
      client_id: TESSERA_CLIENT_ID,
      redirect_uri: 'https://abcdefghijklmnop.chromiumapp.org/openid4vci/callback',
      code_challenge_method: 'S256',
      state: start.state,
      scope: 'diploma',
      issuer_state: 'issuer-state-1',
    });
    expect(JSON.parse(asked.get('authorization_details')!)).toEqual([{ type: 'openid_credential', credential_configuration_id: 'Diploma' }]);
    const redirect = issuer.authorize(start.url);
    expect(() => codeFromRedirect(redirect, 'another-state')).toThrow(/state mismatch/);
    const code = codeFromRedirect(redirect, start.state);
    const grant = { type: 'authorization-code' as const, code, codeVerifier: start.codeVerifier, redirectUri, clientId: TESSERA_CLIENT_ID };
    const token = await redeemGrant(issuer, server, grant);
    expect(await fetchCredentials(issuer, metadata, ['Diploma'], token, key, { now: Date.now, clientId: TESSERA_CLIENT_ID })).toHaveLength(1);
    expect(issuer.proofs[0]?.payload.iss).toBe(TESSERA_CLIENT_ID);
    await expect(redeemGrant(issuer, server, grant)).rejects.toThrow('The issuer refused the authorization code: invalid_grant');
  });

  it('reports an error redirect', () => {
    expect(() => codeFromRedirect('https://x.chromiumapp.org/openid4vci/callback?error=access_denied&state=s', 's')).toThrow(
      "The issuer's authorization ended: access_denied",
    );
  });
});
