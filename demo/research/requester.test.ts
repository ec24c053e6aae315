import { describe, expect, it } from 'vitest';
import { verifyPresentation } from 'did-jwt-vc';
import { createEd25519Did } from '../registry/did-key.ts';
import { decodeJwtHeader, decodeJwtPayload, didKeyResolver } from '../verify.ts';
import { AccreditationBody } from '../accreditor/accreditation.ts';
import { REQUESTER_VP_LIFETIME_S, requesterPresentation } from './requester.ts';
import { accreditationApplication } from './study.ts';

const ORIGIN = 'http://127.0.0.1:8086';

describe('requesterPresentation', () => {
  it('is a VP JWT by the requester DID for the portal\u2019s origin and the request nonce, short-lived, carrying the accreditation', async () => {
    const key = createEd25519Did();
    const body = new AccreditationBody({ baseUrl: 'http://127.0.0.1:9' });
    const accreditation = (await body.issue(key.did, accreditationApplication([ORIGIN]))).credential;
    const vp = await requesterPresentation(key, { origin: ORIGIN, nonce: 'nonce-1', credentials: [accreditation] });

    expect(decodeJwtHeader(vp)).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: key.kid });
    const payload = decodeJwtPayload(vp);
    expect(payload).toMatchObject({ iss: key.did, aud: `origin:${ORIGIN}`, nonce: 'nonce-1', study: 'AICH-2026-014' });
    expect(payload.jti).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    const iat = payload.iat as number;
    expect(Math.abs(iat - Date.now() / 1000)).toBeLessThan(5);
    expect(payload.exp).toBe(iat + REQUESTER_VP_LIFETIME_S);
    expect(REQUESTER_VP_LIFETIME_S).toBeLessThanOrEqual(600);
    expect(payload.vp).toEqual({
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiablePresentation'],
      holder: key.did,
      verifiableCredential: [accreditation],
    });

    const verified = await verifyPresentation(vp, didKeyResolver, { challenge: 'nonce-1', domain: `origin:${ORIGIN}` });
    expect(verified.issuer).toBe(key.did);
    await expect(verifyPresentation(vp, didKeyResolver, { challenge: 'nonce-2', domain: `origin:${ORIGIN}` })).rejects.toThrow(/challenge/);
    await expect(verifyPresentation(vp, didKeyResolver, { challenge: 'nonce-1', domain: 'origin:http://127.0.0.1:1' })).rejects.toThrow(/audience|domain/i);
  });

  it('names no study when told not to, and refuses a lifetime beyond 600 s or a missing nonce', async () => {
    const key = createEd25519Did();
    const vp = await requesterPresentation(key, { origin: ORIGIN, nonce: 'n', credentials: [], study: null, lifetimeSeconds: 600 });
    const payload = decodeJwtPayload(vp);
    expect(payload).not.toHaveProperty('study');
    expect((payload.exp as number) - (payload.iat as number)).toBe(600);
    await expect(requesterPresentation(key, { origin: ORIGIN, nonce: 'n', credentials: [], lifetimeSeconds: 601 })).rejects.toThrow('1 to 600 seconds');
    await expect(requesterPresentation(key, { origin: ORIGIN, nonce: '', credentials: [] })).rejects.toThrow('needs the request nonce');
  });
});
