/**
 * The authorization code flow with PKCE S256 (OpenID4VCI 1.0 §5, RFC 6749 §4.1,
 * RFC 7636), run in a browser tab.
 *
 * For issuers (and the demo AS), the wallet's client is:
 *   client_id    = "tessera-wallet"   (a public client: no secret, PKCE S256 required)
 *   redirect_uri = "https://<extension id>.chromiumapp.org/openid4vci/callback" in Chromium
 *                  (Firefox's form: redirect-uri.ts)
 * The wallet opens a tab on the authorization endpoint; the authorization server
 * redirects that tab to the redirect_uri with `?code=…&state=…` (or `?error=…&state=…`).
 * That request is blocked in the browser (it never reaches the network): the worker
 * watches the tab's URL (tabs.onUpdated, host permission for the redirect host only),
 * takes code and state from it and closes the tab. The state is checked against the
 * pending flow (kept in storage.session, so a worker restart mid-flow loses nothing)
 * and the code is exchanged once.
 */
import { sha256, toBase64Url, randomBytes } from '../encoding.ts';
import { IssuanceError } from './issuance-error.ts';

export const TESSERA_CLIENT_ID = 'tessera-wallet';

export interface AuthorizationStart {
  /** Where the tab goes. */
  url: string;
  state: string;
  codeVerifier: string;
  redirectUri: string;
}

export interface AuthorizationTarget {
  authorizationEndpoint: string;
  credentialIssuer: string;
  redirectUri: string;
  /** Each asked configuration, by `authorization_details` (and `scope` where the configuration has one). */
  configurations: { id: string; scope?: string }[];
  issuerState?: string;
}

/** A PKCE verifier (43 characters, 256 random bits), its S256 challenge and a random state. */
export async function startAuthorization(target: AuthorizationTarget): Promise<AuthorizationStart> {
  const codeVerifier = toBase64Url(randomBytes(32));
  const state = toBase64Url(randomBytes(16));
  const challenge = toBase64Url(await sha256(codeVerifier));
  const url = new URL(target.authorizationEndpoint);
  const params = url.searchParams;
  params.set('response_type', 'code');
  params.set('client_id', TESSERA_CLIENT_ID);
  params.set('redirect_uri', target.redirectUri);
  params.set('state', state);
  params.set('code_challenge', challenge);
  params.set('code_challenge_method', 'S256');
  params.set(
    'authorization_details',
    JSON.stringify(target.configurations.map((c) => ({ type: 'openid_credential', credential_configuration_id: c.id }))),
  );
  const scopes = target.configurations.flatMap((c) => (c.scope ? [c.scope] : []));
  if (scopes.length > 0) params.set('scope', scopes.join(' '));
  if (target.issuerState !== undefined) params.set('issuer_state', target.issuerState);
  return { url: url.toString(), state, codeVerifier, redirectUri: target.redirectUri };
}

/** The code from the redirect, once its state is checked against the flow's. */
export function codeFromRedirect(url: string, expectedState: string): string {
  const params = new URL(url).searchParams;
  if (params.get('state') !== expectedState) throw new IssuanceError('The authorization answer does not match this issuance (state mismatch); nothing was received');
  const error = params.get('error');
  if (error !== null) {
    const description = params.get('error_description');
    throw new IssuanceError(`The issuer's authorization ended: ${error.slice(0, 100)}${description ? ` (${description.slice(0, 300)})` : ''}`);
  }
  const code = params.get('code');
  if (!code) throw new IssuanceError('The authorization answer has no code');
  return code;
}
