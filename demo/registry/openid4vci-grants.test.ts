import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CODE_TTL_MS, NONCE_TTL_MS, OAuthError, Openid4vciGrants, TOKEN_TTL_MS } from './openid4vci-grants.ts';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const errorOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError) return error.error;
    throw error;
  }
  throw new Error('expected an OAuthError');
};

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

describe('Openid4vciGrants', () => {
  it('refuses a pre-authorized code once it expired, and a token once it expired', () => {
    const c = clock();
    const grants = new Openid4vciGrants(c.now);
    const late = grants.createPreAuthorized(['pid']);
    const fresh = grants.createPreAuthorized(['pid']);
    c.advance(CODE_TTL_MS - 1);
    const token = grants.redeemPreAuthorized(fresh, undefined).access_token;
    c.advance(1);
    expect(errorOf(() => grants.redeemPreAuthorized(late, undefined))).toBe('invalid_grant');
    expect(grants.accessFor(token).configurationIds).toEqual(['pid']);
    c.advance(TOKEN_TTL_MS);
    expect(errorOf(() => grants.accessFor(token))).toBe('invalid_token');
  });

  it('refuses a transaction code for a code that asks none', () => {
    const grants = new Openid4vciGrants();
    expect(errorOf(() => grants.redeemPreAuthorized(grants.createPreAuthorized(['pid']), '1234'))).toBe('invalid_request');
  });

  it('takes a nonce once and only while fresh', () => {
    const c = clock();
    const grants = new Openid4vciGrants(c.now);
    const nonce = grants.issueNonce();
    expect(grants.takeNonce(nonce)).toBe(true);
    expect(grants.takeNonce(nonce)).toBe(false);
    const stale = grants.issueNonce();
    c.advance(NONCE_TTL_MS);
    expect(grants.takeNonce(stale)).toBe(false);
    expect(grants.takeNonce(undefined)).toBe(false);
  });

  it('answers a sign-in request once, uses up its issuer_state, and checks client, redirect and verifier at the token', () => {
    const grants = new Openid4vciGrants();
    const issuerState = grants.createIssuerState(['resident']);
    const { verifier, challenge } = pkce();
    const request = { clientId: 'w', redirectUri: 'https://w.example/cb', codeChallenge: challenge, configurationIds: ['resident'], byAuthorizationDetails: false, issuerState };
    const id = grants.holdAuthorizationRequest(request);
    const { code } = grants.approveAuthorizationRequest(id);
    expect(errorOf(() => grants.approveAuthorizationRequest(id))).toBe('invalid_request');
    expect(grants.issuerStateConfigurations(issuerState)).toBeUndefined();
    const base = { code, codeVerifier: verifier, redirectUri: request.redirectUri, clientId: 'w' };
    expect(errorOf(() => grants.redeemAuthorizationCode({ ...base, clientId: 'other' }))).toBe('invalid_grant');
    expect(errorOf(() => grants.redeemAuthorizationCode({ ...base, codeVerifier: 'short' }))).toBe('invalid_request');
    const answer = grants.redeemAuthorizationCode(base);
    expect(answer.authorization_details).toBeUndefined();
    expect(grants.accessFor(answer.access_token).clientId).toBe('w');
  });

  it('refuses a challenge that is not S256-shaped, and a sign-in request that expired', () => {
    const c = clock();
    const grants = new Openid4vciGrants(c.now);
    const base = { clientId: 'w', redirectUri: 'https://w.example/cb', configurationIds: ['pid'], byAuthorizationDetails: true };
    expect(errorOf(() => grants.holdAuthorizationRequest({ ...base, codeChallenge: 'plain-verifier' }))).toBe('invalid_request');
    const id = grants.holdAuthorizationRequest({ ...base, codeChallenge: pkce().challenge });
    c.advance(CODE_TTL_MS);
    expect(errorOf(() => grants.approveAuthorizationRequest(id))).toBe('invalid_request');
  });
});
