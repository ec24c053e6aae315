import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { verifyCredential } from 'did-jwt-vc';
import { decodeJwtHeader, decodeJwtPayload, didKeyResolver } from '../verify.ts';
import { createEd25519Did, signCompactJws, type Ed25519Did } from './did-key.ts';
import { startRegistry, type RegistryServer } from './server.ts';
import { PID_SD_JWT, PRE_AUTHORIZED_GRANT, RESIDENT_JWT_VC, RESIDENT_VCDM2 } from './openid4vci-metadata.ts';

let registry: RegistryServer;
let origin: string;
beforeAll(async () => {
  registry = await startRegistry();
  origin = registry.origin();
});
afterAll(() => registry.close());

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const token = async (fields: Record<string, string>) => {
  const res = await fetch(`${origin}/openid4vci/token`, form(fields));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const nonce = async () => ((await (await fetch(`${origin}/openid4vci/nonce`, { method: 'POST' })).json()) as { c_nonce: string }).c_nonce;
const proof = (key: Ed25519Did, claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  signCompactJws(key, { typ: 'openid4vci-proof+jwt', kid: key.kid, ...header }, { aud: origin, iat: Math.floor(Date.now() / 1000), ...claims });
const credential = async (accessToken: string, body: Record<string, unknown>) => {
  const res = await fetch(`${origin}/openid4vci/credential`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { credentials?: { credential: string }[]; error?: string } };
};
const preAuthToken = async (configurationIds: (typeof RESIDENT_JWT_VC | typeof PID_SD_JWT | typeof RESIDENT_VCDM2)[]) => {
  const { offer } = registry.openid4vci.makeOffer({ configurationIds, grant: 'pre-authorized' });
  const code = (offer.grants[PRE_AUTHORIZED_GRANT] as { 'pre-authorized_code': string })['pre-authorized_code'];
  return (await token({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code })).body.access_token as string;
};

describe('registry OpenID4VCI metadata and offers', () => {
  it('publishes issuer and authorization server metadata for its own origin', async () => {
    const issuer = (await (await fetch(`${origin}/.well-known/openid-credential-issuer`)).json()) as Record<string, any>;
    expect(issuer.credential_issuer).toBe(origin);
    expect(issuer.display[0]).toMatchObject({ name: 'Aldmere Civic Registry', locale: 'en' });
    const logo = await fetch(issuer.display[0].logo.uri);
    expect(logo.headers.get('content-type')).toBe('image/svg+xml');
    const configs = issuer.credential_configurations_supported;
    expect(Object.fromEntries(Object.entries(configs).map(([id, c]: [string, any]) => [id, c.format]))).toEqual({
      [RESIDENT_JWT_VC]: 'jwt_vc_json',
      [RESIDENT_VCDM2]: 'vc+jwt',
      [PID_SD_JWT]: 'dc+sd-jwt',
    });
    expect(configs[PID_SD_JWT].vct).toBe('urn:eudi:pid:1');
    for (const c of Object.values(configs) as any[]) {
      expect(c.proof_types_supported.jwt.proof_signing_alg_values_supported).toEqual(['EdDSA', 'ES256']);
      expect(c.credential_metadata.display.map((d: any) => d.locale)).toEqual(['en', 'fr']);
      expect(c.credential_metadata.claims[0].display.map((d: any) => d.locale)).toEqual(['en', 'fr']);
    }
    const as = (await (await fetch(`${origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, any>;
    expect(as.issuer).toBe(origin);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('serves an offer by reference, and the page makes all four offers for its own origin only', async () => {
    const made = registry.openid4vci.makeOffer({ configurationIds: [PID_SD_JWT], grant: 'pre-authorized' });
    expect(made.uri.startsWith('openid-credential-offer://?credential_offer_uri=')).toBe(true);
    expect(await (await fetch(made.offerUri as string)).json()).toEqual(made.offer);
    expect((await fetch(`${origin}/openid4vci/offers/nope`)).status).toBe(404);
    const page = await fetch(`${origin}/api/openid4vci/offers`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{}' });
    const { offers } = (await page.json()) as { offers: { name: string; uri: string; txCode?: string }[] };
    expect(offers.map((o) => o.name)).toEqual(['reference', 'value', 'tx-code', 'auth-code']);
    expect(offers[1]?.uri).toContain('credential_offer=');
    expect(offers[2]?.txCode).toMatch(/^\d{6}$/);
    const cross = await fetch(`${origin}/api/openid4vci/offers`, { method: 'POST', headers: { origin: 'http://evil.example' }, body: '{}' });
    expect(cross.status).toBe(403);
  });
});

describe('registry OpenID4VCI pre-authorized code flow', () => {
  it('issues each offered credential bound to the proof key, once per token; the code is single-use', async () => {
    const holder = createEd25519Did();
    const { offer } = registry.openid4vci.makeOffer({ configurationIds: [RESIDENT_JWT_VC, PID_SD_JWT, RESIDENT_VCDM2], grant: 'pre-authorized' });
    const code = (offer.grants[PRE_AUTHORIZED_GRANT] as Record<string, string>)['pre-authorized_code'] as string;
    const first = await token({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code });
    expect(first.status).toBe(200);
    expect(first.body.token_type).toBe('Bearer');
    expect((await token({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code })).body.error).toBe('invalid_grant');
    const access = first.body.access_token as string;

    const resident = await credential(access, { credential_configuration_id: RESIDENT_JWT_VC, proofs: { jwt: [proof(holder, { nonce: await nonce() })] } });
    expect(resident.status).toBe(200);
    const vc = await verifyCredential(resident.body.credentials![0]!.credential, didKeyResolver);
    expect(vc.payload.sub).toBe(holder.did);

    const pid = await credential(access, { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [proof(holder, { nonce: await nonce() }, { kid: undefined, jwk: holder.publicJwk })] } });
    const issuerJwt = pid.body.credentials![0]!.credential.split('~')[0] as string;
    expect(decodeJwtPayload(issuerJwt).cnf).toEqual({ jwk: holder.publicJwk });

    const v2 = await credential(access, { credential_configuration_id: RESIDENT_VCDM2, proofs: { jwt: [proof(holder, { nonce: await nonce() })] } });
    const v2Jwt = v2.body.credentials![0]!.credential;
    expect(decodeJwtHeader(v2Jwt).typ).toBe('vc+jwt');
    expect(decodeJwtPayload(v2Jwt)).toMatchObject({ '@context': ['https://www.w3.org/ns/credentials/v2'], credentialSubject: { id: holder.did } });

    const again = await credential(access, { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [proof(holder, { nonce: await nonce() })] } });
    expect(again.body.error).toBe('invalid_credential_request');
  });

  it('asks for the transaction code, keeps the code through a wrong one, burns it after three', async () => {
    const made = registry.openid4vci.makeOffer({ configurationIds: [PID_SD_JWT], grant: 'pre-authorized', txCode: true });
    const grant = made.offer.grants[PRE_AUTHORIZED_GRANT] as Record<string, any>;
    expect(grant.tx_code).toMatchObject({ input_mode: 'numeric', length: 6 });
    const code = grant['pre-authorized_code'];
    const wrong = made.txCode === '000000' ? '111111' : '000000';
    expect((await token({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code })).body.error).toBe('invalid_request');
    expect((await token({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code, tx_code: wrong })).body.error).toBe('invalid_grant');
    expect((await token({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code, tx_code: made.txCode! })).status).toBe(200);

    const burnt = registry.openid4vci.makeOffer({ configurationIds: [PID_SD_JWT], grant: 'pre-authorized', txCode: true });
    const burntCode = (burnt.offer.grants[PRE_AUTHORIZED_GRANT] as Record<string, string>)['pre-authorized_code'] as string;
    const other = burnt.txCode === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++) await token({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': burntCode, tx_code: other });
    expect((await token({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': burntCode, tx_code: burnt.txCode! })).body.error).toBe('invalid_grant');
  });
});

describe('registry OpenID4VCI credential endpoint refusals', () => {
  it('refuses a missing token with 401 and WWW-Authenticate', async () => {
    const res = await credential('not-a-token', { credential_configuration_id: PID_SD_JWT });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it.each([
    ['a reused nonce', 'invalid_nonce', async (k: Ed25519Did, n: string) => proof(k, { nonce: n })],
    ['a nonce not ours', 'invalid_nonce', async (k: Ed25519Did) => proof(k, { nonce: 'made-up' })],
    ['another audience', 'invalid_proof', async (k: Ed25519Did) => proof(k, { nonce: await nonce(), aud: 'http://127.0.0.1:1' })],
    ['another typ', 'invalid_proof', async (k: Ed25519Did) => proof(k, { nonce: await nonce() }, { typ: 'JWT' })],
    ['an old iat', 'invalid_proof', async (k: Ed25519Did) => proof(k, { nonce: await nonce(), iat: Math.floor(Date.now() / 1000) - 3600 })],
    ['a kid of another key', 'invalid_proof', async (k: Ed25519Did) => proof(k, { nonce: await nonce() }, { kid: createEd25519Did().kid })],
    ['a private jwk', 'invalid_proof', async (k: Ed25519Did) => proof(k, { nonce: await nonce() }, { kid: undefined, jwk: k.privateJwk })],
    ['kid and jwk both', 'invalid_proof', async (k: Ed25519Did) => proof(k, { nonce: await nonce() }, { jwk: k.publicJwk })],
  ])('refuses a proof with %s (%s) and issues nothing', async (_what, error, make) => {
    const holder = createEd25519Did();
    const used = await nonce();
    const access = await preAuthToken([PID_SD_JWT, RESIDENT_JWT_VC]);
    if (_what === 'a reused nonce') await credential(access, { credential_configuration_id: RESIDENT_JWT_VC, proofs: { jwt: [proof(holder, { nonce: used })] } });
    const before = registry.issuer.issued.length;
    const res = await credential(access, { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [await make(holder, used)] } });
    expect(res.body.error).toBe(error);
    expect(registry.issuer.issued.length).toBe(before);
  });

  it.each([
    ['two proofs (no batch issuance)', 'invalid_proof', (p: string) => ({ credential_configuration_id: PID_SD_JWT, proofs: { jwt: [p, p] } })],
    ['a proof type other than jwt', 'invalid_proof', (p: string) => ({ credential_configuration_id: PID_SD_JWT, proofs: { jwt: [p], attestation: ['x'] } })],
    ['no proofs', 'invalid_proof', () => ({ credential_configuration_id: PID_SD_JWT })],
    ['an encrypted response asked', 'invalid_encryption_parameters', (p: string) => ({ credential_configuration_id: PID_SD_JWT, proofs: { jwt: [p] }, credential_response_encryption: { enc: 'A256GCM' } })],
    ['both identifier and configuration', 'invalid_credential_request', (p: string) => ({ credential_configuration_id: PID_SD_JWT, credential_identifier: 'x', proofs: { jwt: [p] } })],
  ])('refuses a request with %s (%s)', async (_what, error, body) => {
    const access = await preAuthToken([PID_SD_JWT]);
    const before = registry.issuer.issued.length;
    const res = await credential(access, body(proof(createEd25519Did(), { nonce: await nonce() })));
    expect(res.body.error).toBe(error);
    expect(registry.issuer.issued.length).toBe(before);
  });

  it('refuses an ES256 header over an Ed25519 key, and an iss in an anonymous pre-authorized proof', async () => {
    const holder = createEd25519Did();
    const access = await preAuthToken([PID_SD_JWT]);
    const mislabelled = signCompactJws(holder, { alg: 'ES256', typ: 'openid4vci-proof+jwt', kid: holder.kid }, { aud: origin, iat: Math.floor(Date.now() / 1000), nonce: await nonce() });
    expect((await credential(access, { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [mislabelled] } })).body.error).toBe('invalid_proof');
    const withIss = proof(holder, { nonce: await nonce(), iss: 'some-client' });
    expect((await credential(access, { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [withIss] } })).body.error).toBe('invalid_proof');
  });

  it('refuses a token request that is not a single-valued form, or of another grant type', async () => {
    const json = await fetch(`${origin}/openid4vci/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(((await json.json()) as { error: string }).error).toBe('invalid_request');
    const repeated = await fetch(`${origin}/openid4vci/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=${encodeURIComponent(PRE_AUTHORIZED_GRANT)}&pre-authorized_code=a&pre-authorized_code=b`,
    });
    expect(((await repeated.json()) as { error: string }).error).toBe('invalid_request');
    expect((await token({ grant_type: 'client_credentials' })).body.error).toBe('unsupported_grant_type');
  });

  it('refuses a configuration the token does not cover', async () => {
    const access = await preAuthToken([PID_SD_JWT]);
    const res = await credential(access, { credential_configuration_id: RESIDENT_JWT_VC, proofs: { jwt: [proof(createEd25519Did(), { nonce: await nonce() })] } });
    expect(res.body.error).toBe('insufficient_scope');
    expect((await credential(access, { credential_configuration_id: 'other' })).body.error).toBe('unknown_credential_configuration');
  });

  it('accepts an ES256 proof carrying its P-256 jwk and binds the PID to it', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    const jwt = await new SignJWT({ aud: origin, nonce: await nonce() })
      .setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk })
      .setIssuedAt()
      .sign(privateKey);
    const res = await credential(await preAuthToken([PID_SD_JWT]), { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [jwt] } });
    expect(res.status).toBe(200);
    expect(decodeJwtPayload(res.body.credentials![0]!.credential.split('~')[0] as string).cnf).toEqual({ jwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } });
  });
});

describe('registry OpenID4VCI authorization code flow', () => {
  const redirectUri = 'https://abcdefghijklmnop.chromiumapp.org/openid4vci/callback';
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorizeUrl = (extra: Record<string, string> = {}) => {
    const { offer } = registry.openid4vci.makeOffer({ configurationIds: [RESIDENT_JWT_VC], grant: 'authorization_code' });
    const url = new URL(`${origin}/openid4vci/authorize`);
    const params = {
      response_type: 'code',
      client_id: 'tessera-wallet',
      redirect_uri: redirectUri,
      state: 'st-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      issuer_state: (offer.grants.authorization_code as { issuer_state: string }).issuer_state,
      authorization_details: JSON.stringify([{ type: 'openid_credential', credential_configuration_id: RESIDENT_JWT_VC }]),
      ...extra,
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url;
  };
  const signIn = async (url: URL) => {
    const page = await (await fetch(url)).text();
    expect(page).toContain('Sign in to Aldmere Civic Registry');
    expect(page).toContain('data-testid="issuer-authorize"');
    const request = /name="request" value="([^"]+)"/.exec(page)?.[1] as string;
    const res = await fetch(`${origin}/openid4vci/authorize`, { ...form({ request, decision: 'approve' }), redirect: 'manual' });
    expect(res.status).toBe(303);
    return new URL(res.headers.get('location') as string);
  };

  it('redirects with code and state; the token needs the PKCE verifier and the same redirect_uri; the code is single-use', async () => {
    const back = await signIn(authorizeUrl());
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('st-1');
    expect(back.searchParams.get('iss')).toBe(origin);
    const code = back.searchParams.get('code') as string;
    const base = { grant_type: 'authorization_code', code, client_id: 'tessera-wallet', redirect_uri: redirectUri };
    expect((await token({ ...base, code_verifier: randomBytes(32).toString('base64url') })).body.error).toBe('invalid_grant');
    expect((await token({ ...base, code_verifier: verifier, redirect_uri: 'https://other.example/cb' })).body.error).toBe('invalid_grant');
    const ok = await token({ ...base, code_verifier: verifier });
    expect(ok.status).toBe(200);
    const details = ok.body.authorization_details as { credential_identifiers: string[] }[];
    const access = ok.body.access_token as string;
    const holder = createEd25519Did();
    const byConfiguration = await credential(access, { credential_configuration_id: RESIDENT_JWT_VC, proofs: { jwt: [proof(holder, { nonce: await nonce(), iss: 'tessera-wallet' })] } });
    expect(byConfiguration.body.error).toBe('invalid_credential_request');
    const byIdentifier = await credential(access, {
      credential_identifier: details[0]!.credential_identifiers[0],
      proofs: { jwt: [proof(holder, { nonce: await nonce(), iss: 'tessera-wallet' })] },
    });
    expect(byIdentifier.status).toBe(200);
    // Used again: refused, and the token it gave is revoked.
    expect((await token({ ...base, code_verifier: verifier })).body.error).toBe('invalid_grant');
    expect((await credential(access, { credential_identifier: 'x' })).status).toBe(401);
  });

  it('sends back an unknown issuer_state, an unknown configuration and a denial; asks by scope without authorization_details', async () => {
    const errorOf = async (url: URL) => new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') as string).searchParams.get('error');
    expect(await errorOf(authorizeUrl({ issuer_state: 'not-ours' }))).toBe('invalid_request');
    expect(await errorOf(authorizeUrl({ authorization_details: JSON.stringify([{ type: 'openid_credential', credential_configuration_id: 'x' }]) }))).toBe('invalid_authorization_details');
    // The offer was for the resident card only: asking for the PID under its issuer_state is refused.
    expect(await errorOf(authorizeUrl({ authorization_details: JSON.stringify([{ type: 'openid_credential', credential_configuration_id: PID_SD_JWT }]) }))).toBe('invalid_request');
    const byScope = authorizeUrl({ scope: 'aldmere_resident_card' });
    byScope.searchParams.delete('authorization_details');
    const back = await signIn(byScope);
    const ok = await token({ grant_type: 'authorization_code', code: back.searchParams.get('code') as string, client_id: 'tessera-wallet', redirect_uri: redirectUri, code_verifier: verifier });
    expect(ok.body.authorization_details).toBeUndefined();
    const page = await (await fetch(authorizeUrl())).text();
    const request = /name="request" value="([^"]+)"/.exec(page)?.[1] as string;
    const denied = await fetch(`${origin}/openid4vci/authorize`, { ...form({ request, decision: 'deny' }), redirect: 'manual' });
    const location = new URL(denied.headers.get('location') as string);
    expect([location.searchParams.get('error'), location.searchParams.get('state')]).toEqual(['access_denied', 'st-1']);
  });

  it('sends PKCE-less and plain requests back with an error, and shows (never redirects) a bad redirect_uri', async () => {
    const plain = await fetch(authorizeUrl({ code_challenge_method: 'plain' }), { redirect: 'manual' });
    expect(plain.status).toBe(303);
    expect(new URL(plain.headers.get('location') as string).searchParams.get('error')).toBe('invalid_request');
    const bad = await fetch(authorizeUrl({ redirect_uri: 'javascript:alert(1)' }), { redirect: 'manual' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('location')).toBeNull();
  });
});
