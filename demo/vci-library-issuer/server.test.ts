import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwtPayload } from '../verify.ts';
import { createEd25519Did, signCompactJws } from '../registry/did-key.ts';
import { FERRY_CONFIGURATION, FERRY_VCT, PRE_AUTHORIZED_GRANT } from './metadata.ts';
import { startLibraryIssuer, type LibraryIssuerServer } from './server.ts';

let ferry: LibraryIssuerServer;
let origin: string;
beforeAll(async () => {
  ferry = await startLibraryIssuer();
  origin = ferry.origin();
});
afterAll(() => ferry.close());

const post = async (path: string, body: string, headers: Record<string, string>) => {
  const res = await fetch(`${origin}${path}`, { method: 'POST', body, headers });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const offerOf = async (uri: string) => {
  const offerUri = new URL(uri.replace('openid-credential-offer://', 'https://x/')).searchParams.get('credential_offer_uri') as string;
  return (await (await fetch(offerUri)).json()) as Record<string, any>;
};
const tokenFor = (code: string, txCode?: string) =>
  post('/token', new URLSearchParams({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code, ...(txCode ? { tx_code: txCode } : {}) }).toString(), {
    'content-type': 'application/x-www-form-urlencoded',
  });
const holder = createEd25519Did();
const proofWith = (nonce: string) => signCompactJws(holder, { typ: 'openid4vci-proof+jwt', jwk: holder.publicJwk }, { aud: origin, iat: Math.floor(Date.now() / 1000), nonce });
const nonce = async () => (await post('/nonce', '', {})).body.c_nonce as string;

describe('the library-built ferry issuer', () => {
  it('publishes library-made metadata and issues a dc+sd-jwt bound to the proof jwk over the pre-authorized flow', async () => {
    const metadata = (await (await fetch(`${origin}/.well-known/openid-credential-issuer`)).json()) as Record<string, any>;
    expect(metadata.credential_issuer).toBe(origin);
    expect(metadata.credential_configurations_supported[FERRY_CONFIGURATION].format).toBe('dc+sd-jwt');
    const { uri } = await ferry.makeOffer();
    const offer = await offerOf(uri);
    const token = await tokenFor(offer.grants[PRE_AUTHORIZED_GRANT]['pre-authorized_code']);
    expect(token.status).toBe(200);
    expect(token.body.access_token.split('.')).toHaveLength(3); // a JWT profile access token (RFC 9068)
    const auth = { authorization: `Bearer ${token.body.access_token}`, 'content-type': 'application/json' };
    const c = await post('/credential', JSON.stringify({ credential_configuration_id: FERRY_CONFIGURATION, proofs: { jwt: [proofWith(await nonce())] } }), auth);
    expect(c.status).toBe(200);
    const payload = decodeJwtPayload(c.body.credentials[0].credential.split('~')[0]);
    expect(payload).toMatchObject({ vct: FERRY_VCT, iss: ferry.did, cnf: { jwk: holder.publicJwk } });
    // A used pre-authorized code and a used nonce are refused.
    expect((await tokenFor(offer.grants[PRE_AUTHORIZED_GRANT]['pre-authorized_code'])).body.error).toBe('invalid_grant');
    const used = await nonce();
    await post('/credential', JSON.stringify({ credential_configuration_id: FERRY_CONFIGURATION, proofs: { jwt: [proofWith(used)] } }), auth);
    const again = await post('/credential', JSON.stringify({ credential_configuration_id: FERRY_CONFIGURATION, proofs: { jwt: [proofWith(used)] } }), auth);
    expect(again.body.error).toBe('invalid_nonce');
  });

  it('checks the transaction code and the access token', async () => {
    const { uri, txCode } = await ferry.makeOffer({ txCode: true });
    const offer = await offerOf(uri);
    const code = offer.grants[PRE_AUTHORIZED_GRANT]['pre-authorized_code'];
    expect((await tokenFor(code, txCode === '0000' ? '1111' : '0000')).status).toBe(400);
    expect((await tokenFor(code, txCode)).status).toBe(200);
    const noToken = await post('/credential', JSON.stringify({ credential_configuration_id: FERRY_CONFIGURATION }), { 'content-type': 'application/json' });
    expect(noToken.status).toBe(401);
  });
});
