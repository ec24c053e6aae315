/**
 * The Aldmere Civic Registry as an OpenID4VCI 1.0 credential issuer and its own
 * OAuth 2.0 authorization server. Routes (all answered with CORS `*`, as wallets
 * call them from anywhere):
 * - `GET /.well-known/openid-credential-issuer`, `GET /.well-known/oauth-authorization-server`;
 * - `GET /openid4vci/offers/<id>`: an offer passed by reference;
 * - `POST /openid4vci/token`: pre-authorized_code (with or without tx_code) or
 *   authorization_code with PKCE S256 (form-encoded, RFC 6749 §4.1.3);
 * - `POST /openid4vci/nonce` → `{ c_nonce }` (§7);
 * - `POST /openid4vci/credential`: Bearer token, one `jwt` proof (openid4vci-proof.ts),
 *   answered by `{ credentials: [{ credential }] }` bound to the proof's key (§8);
 * - `GET|POST /openid4vci/authorize`: the sign-in page (openid4vci-authorize.ts);
 * - `GET /openid4vci`: the page of offers; `POST /api/openid4vci/offers` (same origin) makes them.
 * The credentials themselves are made by RegistryIssuer (issuer.ts), with status entries.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, json, readBody, readJson, sameOrigin, send, serveStatic } from '../http.ts';
import { DEMO_RESIDENT, type IssuedCredential, type RegistryIssuer } from './issuer.ts';
import { answerAuthorize, showAuthorize } from './openid4vci-authorize.ts';
import { OAuthError, Openid4vciGrants, type AccessGrant } from './openid4vci-grants.ts';
import {
  LOGO_PATH,
  PID_SD_JWT,
  PRE_AUTHORIZED_GRANT,
  RESIDENT_JWT_VC,
  RESIDENT_VCDM2,
  authorizationServerMetadata,
  credentialIssuerMetadata,
  isConfigurationId,
  type ConfigurationId,
} from './openid4vci-metadata.ts';
import { DEMO_OFFERS, OFFER_PATH, Openid4vciOffers, type MadeOffer, type OfferRequest } from './openid4vci-offers.ts';
import { verifyProofJwt } from './openid4vci-proof.ts';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST',
  'access-control-allow-headers': 'authorization, content-type, dpop',
  'access-control-expose-headers': 'www-authenticate',
};

const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#6b2438"/><path d="M7 24h18v-2H7zm2-3h3v-8H9zm5.5 0h3v-8h-3zM20 21h3v-8h-3zM6 12h20L16 6z" fill="#f6efe2"/></svg>`;

export interface Openid4vciEvent {
  kind: 'issued' | 'refused';
  detail: string;
}

function oauthAnswer(res: ServerResponse, error: OAuthError): void {
  const headers: Record<string, string> = { ...CORS };
  if (error.status === 401) headers['www-authenticate'] = `Bearer error="${error.error}", error_description="${error.description.replace(/"/g, "'")}"`;
  send(res, error.status, JSON.stringify({ error: error.error, error_description: error.description }), 'application/json; charset=utf-8', headers);
}

const ok = (res: ServerResponse, body: unknown) => send(res, 200, JSON.stringify(body), 'application/json; charset=utf-8', CORS);

/** A form body's single-valued parameters (a repeated parameter is refused, RFC 6749 §3.1). */
async function formOf(req: IncomingMessage): Promise<Map<string, string>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new OAuthError(400, 'invalid_request', 'the token request must be application/x-www-form-urlencoded');
  const form = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(await readBody(req, 16 * 1024))) {
    if (form.has(key)) throw new OAuthError(400, 'invalid_request', `the parameter ${key} is repeated`);
    form.set(key, value);
  }
  return form;
}

export class RegistryOpenid4vci {
  readonly grants: Openid4vciGrants;
  readonly offers: Openid4vciOffers;
  readonly events: Openid4vciEvent[] = [];

  private readonly siteDir: string;
  private readonly log: (kind: Openid4vciEvent['kind'], detail: string) => void;

  constructor(
    private readonly issuer: RegistryIssuer,
    options: { siteDir: string; log?: (kind: Openid4vciEvent['kind'], detail: string) => void; now?: () => number },
  ) {
    const now = options.now ?? Date.now;
    this.siteDir = options.siteDir;
    this.log = options.log ?? (() => undefined);
    this.grants = new Openid4vciGrants(now);
    this.offers = new Openid4vciOffers(issuer.origin, this.grants, now);
  }

  get origin(): string {
    return this.issuer.origin;
  }

  /** A fresh offer (for the page, tests and the demo walk). */
  makeOffer(request: OfferRequest): MadeOffer {
    return this.offers.make(request);
  }

  /** Answers the request if it is one of OpenID4VCI's routes; false otherwise. */
  async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const ours = path === '/openid4vci' || path.startsWith('/openid4vci/') || path === '/.well-known/openid-credential-issuer' || path === '/.well-known/oauth-authorization-server';
    if (!ours && path !== '/api/openid4vci/offers') return false;
    if (method === 'OPTIONS' && ours) {
      res.writeHead(204, CORS);
      res.end();
      return true;
    }
    try {
      await this.dispatch(`${method} ${path}`, req, res, url);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      this.refused(error.description);
      oauthAnswer(res, error);
    }
    return true;
  }

  private async dispatch(route: string, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (route.startsWith(`GET ${OFFER_PATH}`)) {
      const offer = this.offers.byId(route.slice(`GET ${OFFER_PATH}`.length));
      if (!offer) return send(res, 404, JSON.stringify({ error: 'not_found', error_description: 'no such offer, or it expired' }), 'application/json', CORS);
      return ok(res, offer);
    }
    switch (route) {
      case 'GET /.well-known/openid-credential-issuer':
        return ok(res, credentialIssuerMetadata(this.origin));
      case 'GET /.well-known/oauth-authorization-server':
        return ok(res, authorizationServerMetadata(this.origin));
      case `GET ${LOGO_PATH}`:
        return send(res, 200, LOGO_SVG, 'image/svg+xml', CORS);
      case 'GET /openid4vci':
      case 'GET /openid4vci/':
        return await serveStatic(res, this.siteDir, '/openid4vci.html');
      case 'POST /api/openid4vci/offers': {
        sameOrigin(req);
        await readJson(req).catch(() => ({}));
        const made = Object.entries(DEMO_OFFERS).map(([name, spec]) => ({ name, title: spec.title, ...this.makeOffer(spec) }));
        return json(res, 200, { offers: made });
      }
      case 'POST /openid4vci/token':
        return ok(res, await this.token(req));
      case 'POST /openid4vci/nonce':
        return ok(res, { c_nonce: this.grants.issueNonce() });
      case 'POST /openid4vci/credential':
        return ok(res, await this.credential(req));
      case 'GET /openid4vci/authorize':
        return showAuthorize(res, url, this.grants, `${DEMO_RESIDENT.given_name} ${DEMO_RESIDENT.family_name}`);
      case 'POST /openid4vci/authorize':
        return await answerAuthorize(req, res, this.grants, this.origin);
      default:
        throw new HttpError(404, 'not found');
    }
  }

  private async token(req: IncomingMessage) {
    const form = await formOf(req);
    const grantType = form.get('grant_type');
    if (grantType === PRE_AUTHORIZED_GRANT) {
      const code = form.get('pre-authorized_code');
      if (!code) throw new OAuthError(400, 'invalid_request', 'pre-authorized_code is missing');
      return this.grants.redeemPreAuthorized(code, form.get('tx_code'));
    }
    if (grantType === 'authorization_code') {
      const code = form.get('code');
      if (!code) throw new OAuthError(400, 'invalid_request', 'code is missing');
      return this.grants.redeemAuthorizationCode({
        code,
        codeVerifier: form.get('code_verifier'),
        redirectUri: form.get('redirect_uri'),
        clientId: form.get('client_id'),
      });
    }
    throw new OAuthError(400, 'unsupported_grant_type', `grant_type ${String(grantType)} is not supported`);
  }

  private async credential(req: IncomingMessage) {
    const authorization = req.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(authorization);
    const grant = this.grants.accessFor(match?.[1]);
    let body: Record<string, unknown>;
    try {
      body = await readJson(req);
    } catch {
      throw new OAuthError(400, 'invalid_credential_request', 'the credential request must be a JSON object');
    }
    const configurationId = this.configurationAsked(grant, body);
    if (body.credential_response_encryption !== undefined) {
      throw new OAuthError(400, 'invalid_encryption_parameters', 'the registry does not encrypt credential responses');
    }
    const proofs = body.proofs as Record<string, unknown> | undefined;
    if (typeof proofs !== 'object' || proofs === null || Array.isArray(proofs)) throw new OAuthError(400, 'invalid_proof', 'the request has no proofs ({ jwt: [proof] })');
    const kinds = Object.keys(proofs);
    if (kinds.length !== 1 || kinds[0] !== 'jwt') throw new OAuthError(400, 'invalid_proof', 'only jwt proofs are supported');
    const jwts = proofs.jwt;
    if (!Array.isArray(jwts) || jwts.length !== 1) throw new OAuthError(400, 'invalid_proof', 'exactly one jwt proof is expected (no batch issuance)');
    if (grant.issued.has(configurationId)) throw new OAuthError(400, 'invalid_credential_request', `${configurationId} was already issued under this access token`);
    const key = await verifyProofJwt(jwts[0], { credentialIssuer: this.origin, takeNonce: (n) => this.grants.takeNonce(n), clientId: grant.clientId });
    grant.issued.add(configurationId);
    const issued = await this.issue(configurationId, key.did, key.jwk);
    this.log('issued', `${configurationId} (${issued.format}) over OpenID4VCI to ${key.did}, ${issued.statusList} index ${issued.statusIndex}`);
    this.events.push({ kind: 'issued', detail: `${configurationId} to ${key.did}` });
    return { credentials: [{ credential: issued.credential }] };
  }

  /** credential_identifier when the token named some (§8.2), else credential_configuration_id; never both. */
  private configurationAsked(grant: AccessGrant, body: Record<string, unknown>): ConfigurationId {
    const identifier = body.credential_identifier;
    const configuration = body.credential_configuration_id;
    if (identifier !== undefined && configuration !== undefined) {
      throw new OAuthError(400, 'invalid_credential_request', 'give credential_identifier or credential_configuration_id, not both');
    }
    if (grant.credentialIdentifiers) {
      if (identifier === undefined) {
        throw new OAuthError(400, 'invalid_credential_request', 'the token response named credential_identifiers: ask by credential_identifier');
      }
      const id = typeof identifier === 'string' ? grant.credentialIdentifiers[identifier] : undefined;
      if (!id || !isConfigurationId(id)) throw new OAuthError(400, 'unknown_credential_identifier', `unknown credential_identifier ${String(identifier)}`);
      return id;
    }
    if (identifier !== undefined) throw new OAuthError(400, 'unknown_credential_identifier', 'this access token names no credential identifiers');
    if (!isConfigurationId(configuration)) throw new OAuthError(400, 'unknown_credential_configuration', `unknown credential_configuration_id ${String(configuration)}`);
    if (!grant.configurationIds.includes(configuration)) throw new OAuthError(403, 'insufficient_scope', `this access token does not cover ${configuration}`);
    return configuration;
  }

  private issue(configurationId: ConfigurationId, did: string, jwk: object): Promise<IssuedCredential> {
    if (configurationId === RESIDENT_JWT_VC) return this.issuer.issueResident(did);
    if (configurationId === RESIDENT_VCDM2) return this.issuer.issueResidentVcdm2(did);
    if (configurationId === PID_SD_JWT) return this.issuer.issuePid(did, DEMO_RESIDENT, jwk);
    throw new OAuthError(400, 'unknown_credential_configuration', configurationId);
  }

  private refused(detail: string): void {
    this.log('refused', `OpenID4VCI: ${detail}`);
    this.events.push({ kind: 'refused', detail });
  }
}
