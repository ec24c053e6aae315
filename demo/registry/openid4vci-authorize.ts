/**
 * The registry's authorization endpoint (RFC 6749 §4.1, RFC 7636, OpenID4VCI 1.0 §5):
 * `GET /openid4vci/authorize` checks the request and shows "Sign in to Aldmere Civic
 * Registry"; the form's POST answers by redirecting the tab to the wallet's
 * redirect_uri with `code`, `state` and `iss` (RFC 9207), or `error=access_denied`.
 *
 * Any redirect_uri the client sends is accepted (a public wallet client registers
 * none), remembered with the code and checked again at the token endpoint. A request
 * whose client_id or redirect_uri is unusable is answered on the page, never
 * redirected (RFC 6749 §4.1.2.1); other faults go back to the redirect_uri.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, send } from '../http.ts';
import { OAuthError, type AuthorizationRequest, type Openid4vciGrants } from './openid4vci-grants.ts';
import { CONFIGURATION_IDS, ISSUER_NAME, LOGO_PATH, SCOPES, isConfigurationId, type ConfigurationId } from './openid4vci-metadata.ts';

const HTML = 'text/html; charset=utf-8';
const PAGE_HEADERS = { 'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; form-action 'self' https: http:" };

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, body: string): void {
  send(
    res,
    status,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to ${ISSUER_NAME}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#2b1a20}
header{display:flex;gap:.75rem;align-items:center}img{width:48px;height:48px}
button{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:1px solid #6b2438;margin-right:.5rem}
.primary{background:#6b2438;color:#f6efe2}.error{color:#a4161a}code{word-break:break-all}</style></head>
<body><header><img src="${LOGO_PATH}" alt=""><h1>Sign in to ${ISSUER_NAME}</h1></header>${body}</body></html>`,
    HTML,
    PAGE_HEADERS,
  );
}

/** A URL the tab may be sent to: absolute, https (or http on loopback), no fragment. */
export function redirectUriRefusal(value: string | null): string | null {
  if (value === null || value.length === 0 || value.length > 2000) return 'redirect_uri is missing';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'redirect_uri is not an absolute URL';
  }
  if (url.hash) return 'redirect_uri has a fragment';
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return 'redirect_uri must be https (or http on loopback)';
  return null;
}

export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

/** The configurations asked, from authorization_details, else scope, else the offer's issuer_state. */
function askedConfigurations(params: URLSearchParams, fromIssuerState: string[] | undefined): { ids: ConfigurationId[]; byDetails: boolean } {
  const details = params.get('authorization_details');
  if (details !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(details);
    } catch {
      throw new OAuthError(400, 'invalid_authorization_details', 'authorization_details is not JSON');
    }
    if (!Array.isArray(parsed) || parsed.length === 0) throw new OAuthError(400, 'invalid_authorization_details', 'authorization_details is not a non-empty array');
    const ids = parsed.map((entry: unknown) => {
      const e = entry as Record<string, unknown> | null;
      if (typeof e !== 'object' || e === null || e.type !== 'openid_credential') {
        throw new OAuthError(400, 'invalid_authorization_details', 'each authorization_details entry must be of type openid_credential');
      }
      if (!isConfigurationId(e.credential_configuration_id)) {
        throw new OAuthError(400, 'invalid_authorization_details', `unknown credential_configuration_id ${String(e.credential_configuration_id)}`);
      }
      return e.credential_configuration_id;
    });
    return { ids: [...new Set(ids)], byDetails: true };
  }
  const scope = params.get('scope');
  if (scope !== null) {
    const ids = scope.split(' ').filter(Boolean).map((s) => {
      const id = CONFIGURATION_IDS.find((c) => SCOPES[c] === s);
      if (!id) throw new OAuthError(400, 'invalid_scope', `unknown scope ${s}`);
      return id;
    });
    return { ids: [...new Set(ids)], byDetails: false };
  }
  if (fromIssuerState) return { ids: fromIssuerState as ConfigurationId[], byDetails: false };
  throw new OAuthError(400, 'invalid_request', 'the request names no credential (authorization_details, scope or issuer_state)');
}

export function showAuthorize(res: ServerResponse, url: URL, grants: Openid4vciGrants, subjectName: string): void {
  const params = url.searchParams;
  const clientId = params.get('client_id');
  const redirectUri = params.get('redirect_uri');
  if (!clientId || clientId.length > 200) return page(res, 400, '<p class="error" data-testid="issuer-error">The request has no usable client_id.</p>');
  const refusal = redirectUriRefusal(redirectUri);
  if (refusal) return page(res, 400, `<p class="error" data-testid="issuer-error">${escape(refusal)}; nothing was sent back.</p>`);
  const state = params.get('state') ?? undefined;
  const back = (error: string, description: string) => {
    res.writeHead(303, { location: redirectWith(redirectUri as string, { error, error_description: description, state }), 'cache-control': 'no-store' });
    res.end();
  };
  try {
    if (params.get('response_type') !== 'code') throw new OAuthError(400, 'unsupported_response_type', 'response_type must be code');
    if (params.get('code_challenge_method') !== 'S256' || !params.get('code_challenge')) {
      throw new OAuthError(400, 'invalid_request', 'PKCE is required: code_challenge with code_challenge_method S256');
    }
    const issuerState = params.get('issuer_state') ?? undefined;
    const fromState = issuerState === undefined ? undefined : grants.issuerStateConfigurations(issuerState);
    if (issuerState !== undefined && !fromState) throw new OAuthError(400, 'invalid_request', 'issuer_state is unknown or expired');
    const asked = askedConfigurations(params, fromState);
    if (fromState && !asked.ids.every((id) => fromState.includes(id))) {
      throw new OAuthError(400, 'invalid_request', 'the request asks for credentials the offer did not make');
    }
    const request: Omit<AuthorizationRequest, 'expiresAt'> = {
      clientId,
      redirectUri: redirectUri as string,
      state,
      codeChallenge: params.get('code_challenge') as string,
      configurationIds: asked.ids,
      byAuthorizationDetails: asked.byDetails,
      issuerState,
    };
    const id = grants.holdAuthorizationRequest(request);
    page(
      res,
      200,
      `<p>You are signed in as <strong data-testid="issuer-subject">${escape(subjectName)}</strong> (registry record).</p>
<p>The wallet <code data-testid="issuer-client">${escape(clientId)}</code> asks for:</p>
<ul data-testid="issuer-asked">${asked.ids.map((c) => `<li>${escape(c)}</li>`).join('')}</ul>
<p>Your wallet will be sent back to <code>${escape(new URL(redirectUri as string).origin)}</code>.</p>
<form method="post" action="/openid4vci/authorize"><input type="hidden" name="request" value="${escape(id)}">
<button class="primary" type="submit" name="decision" value="approve" data-testid="issuer-authorize">Sign in and issue</button>
<button type="submit" name="decision" value="deny" data-testid="issuer-cancel">Cancel</button></form>`,
    );
  } catch (error) {
    if (error instanceof OAuthError) return back(error.error, error.description);
    throw error;
  }
}

export async function answerAuthorize(req: IncomingMessage, res: ServerResponse, grants: Openid4vciGrants, issuer: string): Promise<void> {
  const form = new URLSearchParams(await readBody(req, 8 * 1024));
  const id = form.get('request') ?? '';
  const redirect = (location: string) => {
    res.writeHead(303, { location, 'cache-control': 'no-store' });
    res.end();
  };
  if (form.get('decision') === 'deny') {
    const request = grants.denyAuthorizationRequest(id);
    if (!request) return page(res, 400, '<p class="error" data-testid="issuer-error">This sign-in request is unknown, expired or already answered.</p>');
    return redirect(redirectWith(request.redirectUri, { error: 'access_denied', error_description: 'the user cancelled', state: request.state, iss: issuer }));
  }
  try {
    const { code, request } = grants.approveAuthorizationRequest(id);
    redirect(redirectWith(request.redirectUri, { code, state: request.state, iss: issuer }));
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    page(res, 400, `<p class="error" data-testid="issuer-error">${escape(error.description)}.</p>`);
  }
}
