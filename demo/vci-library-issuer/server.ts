/**
 * A second OpenID4VCI issuer, "Aldmere Ferry Company", built only on the community
 * library @openid4vc/openid4vci (with @openid4vc/oauth2): its metadata, offers,
 * token requests (pre-authorized code, with or without tx_code), access tokens (JWT
 * profile, RFC 9068, checked by the library's resource server), nonces, credential
 * requests and their jwt proofs are all the library's; this file only stores codes
 * and nonces and makes the credential, a `dc+sd-jwt` ferry pass bound to the proof's
 * key (@sd-jwt/sd-jwt-vc). It shares nothing with the registry's OpenID4VCI code, so
 * a wallet that receives from both interoperates with an implementation not ours.
 *
 * Routes: `/.well-known/openid-credential-issuer`, `/.well-known/oauth-authorization-server`,
 * `/jwks.json`, `/offers/<id>`, `POST /token`, `POST /nonce`, `POST /credential`,
 * `/logo.svg`, and `/` (a page with a fresh offer: `library-offer-uri`, `library-offer-link`).
 *
 * Standalone: `npx tsx demo/vci-library-issuer/server.ts [port]`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, randomInt } from 'node:crypto';
import { Openid4vciIssuer, type IssuerMetadataResult, Openid4vciVersion, setGlobalConfig } from '@openid4vc/openid4vci';
import { Oauth2AuthorizationServer, Oauth2ResourceServer, Oauth2ServerErrorResponseError, Oauth2ResourceUnauthorizedError, decodeJwt } from '@openid4vc/oauth2';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import { closeOnSignals, handle, listenOn, readBody, runAsScript, send, type Listening } from '../http.ts';
import { createEd25519Did } from '../registry/did-key.ts';
import { libraryCallbacks } from './callbacks.ts';
import { ferryIssuerMetadata, FERRY_CONFIGURATION, FERRY_LOGO_SVG, FERRY_NAME, FERRY_VCT, offerPage, PRE_AUTHORIZED_GRANT } from './metadata.ts';

const CODE_TTL_MS = 5 * 60_000;
const NONCE_TTL_S = 300;
const AS_KEY_ID = 'ferry-as-1';
const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization, content-type, dpop', 'access-control-allow-methods': 'GET, POST' };

export interface LibraryIssuerServer extends Listening {
  /** A fresh pre-authorized offer; `txCode` asks for a transaction code (returned). */
  makeOffer(options?: { txCode?: boolean }): Promise<{ uri: string; txCode?: string }>;
  /** The issuer's did:key. */
  did: string;
  /** Ferry passes issued so far (the holder keys' JWKs' x). */
  issued: { holder: string; credential: string }[];
}

const json = (res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) =>
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8', { ...CORS, ...extra });

function requestLike(req: IncomingMessage, origin: string) {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  return { method: (req.method ?? 'GET') as 'GET' | 'POST', url: `${origin}${req.url ?? '/'}`, headers };
}

export async function startLibraryIssuer(options: { port?: number; host?: string; log?: boolean } = {}): Promise<LibraryIssuerServer> {
  // The demo serves http on loopback; the library insists on https unless told otherwise
  // (a process-wide setting: the demo servers' process holds no wallet).
  setGlobalConfig({ allowInsecureUrls: true });
  const key = createEd25519Did();
  const asJwk = { ...key.publicJwk, kid: AS_KEY_ID, use: 'sig', alg: 'EdDSA' };
  const callbacks = libraryCallbacks({ ...key.privateJwk });
  const issuer = new Openid4vciIssuer({ callbacks });
  const authorizationServer = new Oauth2AuthorizationServer({ callbacks });
  const resourceServer = new Oauth2ResourceServer({ callbacks });
  const codes = new Map<string, { txCode?: string; expiresAt: number }>();
  const nonces = new Map<string, number>();
  const issued: LibraryIssuerServer['issued'] = [];
  let metadata: IssuerMetadataResult | undefined;
  let origin = '';
  const need = () => {
    if (!metadata) throw new Error('starting');
    return metadata;
  };

  const makeOffer = async ({ txCode = false } = {}) => {
    const code = randomBytes(32).toString('base64url');
    const tx = txCode ? String(randomInt(0, 10_000)).padStart(4, '0') : undefined;
    codes.set(code, { txCode: tx, expiresAt: Date.now() + CODE_TTL_MS });
    const id = randomBytes(16).toString('base64url');
    const made = await issuer.createCredentialOffer({
      issuerMetadata: need(),
      credentialConfigurationIds: [FERRY_CONFIGURATION],
      grants: { [PRE_AUTHORIZED_GRANT]: { 'pre-authorized_code': code, ...(tx ? { tx_code: { input_mode: 'numeric', length: 4 } } : {}) } },
      credentialOfferUri: `${origin}/offers/${id}`,
    });
    offers.set(id, made.credentialOfferObject);
    return tx ? { uri: made.credentialOffer, txCode: tx } : { uri: made.credentialOffer };
  };
  const offers = new Map<string, unknown>();

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const request = requestLike(req, origin);
    const body = Object.fromEntries(new URLSearchParams(await readBody(req, 16 * 1024)));
    const parsed = authorizationServer.parseAccessTokenRequest({ request, accessTokenRequest: body });
    if (parsed.grant.grantType !== PRE_AUTHORIZED_GRANT) {
      throw new Oauth2ServerErrorResponseError({ error: 'unsupported_grant_type', error_description: 'only the pre-authorized code grant' });
    }
    const entry = codes.get(parsed.grant.preAuthorizedCode);
    if (!entry) throw new Oauth2ServerErrorResponseError({ error: 'invalid_grant', error_description: 'unknown or used pre-authorized code' });
    const asMetadata = need().authorizationServers[0] as IssuerMetadataResult['authorizationServers'][number];
    await authorizationServer.verifyPreAuthorizedCodeAccessTokenRequest({
      authorizationServerMetadata: asMetadata,
      grant: parsed.grant,
      accessTokenRequest: parsed.accessTokenRequest,
      request,
      expectedPreAuthorizedCode: parsed.grant.preAuthorizedCode,
      expectedTxCode: entry.txCode,
      preAuthorizedCodeExpiresAt: new Date(entry.expiresAt),
    });
    codes.delete(parsed.grant.preAuthorizedCode);
    const answer = await authorizationServer.createAccessTokenResponse({
      authorizationServer: origin,
      audience: origin,
      signer: { method: 'jwk', alg: 'EdDSA', publicJwk: asJwk, kid: AS_KEY_ID },
      expiresInSeconds: 600,
      subject: `ferry-passenger-${randomBytes(6).toString('hex')}`,
    });
    json(res, 200, answer);
  };

  const credential = async (req: IncomingMessage, res: ServerResponse) => {
    const request = requestLike(req, origin);
    const meta = need();
    await resourceServer.verifyResourceRequest({ request, resourceServer: origin, authorizationServers: meta.authorizationServers, allowedAuthenticationSchemes: ['Bearer' as never] });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req, 64 * 1024)) as Record<string, unknown>;
    } catch {
      throw new Oauth2ServerErrorResponseError({ error: 'invalid_credential_request', error_description: 'not JSON' });
    }
    const parsed = issuer.parseCredentialRequest({ issuerMetadata: meta, credentialRequest: body });
    if (parsed.credentialConfigurationId !== FERRY_CONFIGURATION) {
      throw new Oauth2ServerErrorResponseError({ error: 'unknown_credential_configuration', error_description: 'this issuer makes ferry passes only' });
    }
    const jwt = parsed.proofs?.jwt?.[0];
    if (!jwt || (parsed.proofs?.jwt?.length ?? 0) !== 1) throw new Oauth2ServerErrorResponseError({ error: 'invalid_proof', error_description: 'one jwt proof' });
    const nonce = decodeJwt({ jwt }).payload.nonce;
    const nonceExpiry = typeof nonce === 'string' ? nonces.get(nonce) : undefined;
    if (nonce === undefined || nonceExpiry === undefined) throw new Oauth2ServerErrorResponseError({ error: 'invalid_nonce', error_description: 'unknown or used c_nonce' });
    nonces.delete(nonce as string);
    const proof = await issuer.verifyCredentialRequestJwtProof({ issuerMetadata: meta, jwt, expectedNonce: nonce as string, nonceExpiresAt: new Date(nonceExpiry) });
    const holderJwk = proof.signer.method === 'jwk' ? proof.signer.publicJwk : undefined;
    if (!holderJwk) throw new Oauth2ServerErrorResponseError({ error: 'invalid_proof', error_description: 'the ferry pass binds to a jwk' });
    const sdjwt = new SDJwtVcInstance({ signer: (input: string) => key.sign(input), signAlg: 'EdDSA', hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt });
    const now = Math.floor(Date.now() / 1000);
    const pass = await sdjwt.issue(
      { iss: key.did, iat: now, exp: now + 30 * 24 * 3600, vct: FERRY_VCT, cnf: { jwk: holderJwk }, route: 'Aldmere – Saltmarsh Isle', fare_class: 'resident', valid_days: 30 },
      { _sd: ['route', 'fare_class'] },
      { header: { kid: key.kid } },
    );
    issued.push({ holder: String(holderJwk.x), credential: pass });
    if (options.log) console.log(`[ferry] issued a ferry pass to the key ${String(holderJwk.x)}`);
    json(res, 200, issuer.createCredentialResponse({ credentialRequest: parsed, credentials: [{ credential: pass }] }));
  };

  const handler = handle(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://ferry.invalid');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, CORS);
        return void res.end();
      }
      if (route.startsWith('GET /offers/')) {
        const offer = offers.get(url.pathname.slice('/offers/'.length));
        return offer ? json(res, 200, offer) : json(res, 404, { error: 'not_found' });
      }
      switch (route) {
        case 'GET /.well-known/openid-credential-issuer':
          return json(res, 200, need().credentialIssuer);
        case 'GET /.well-known/oauth-authorization-server':
          return json(res, 200, need().authorizationServers[0]);
        case 'GET /jwks.json':
          return json(res, 200, { keys: [asJwk] });
        case 'GET /logo.svg':
          return send(res, 200, FERRY_LOGO_SVG, 'image/svg+xml', CORS);
        case 'POST /token':
          return await token(req, res);
        case 'POST /nonce': {
          const cNonce = randomBytes(24).toString('base64url');
          nonces.set(cNonce, Date.now() + NONCE_TTL_S * 1000);
          return json(res, 200, issuer.createNonceResponse({ cNonce, cNonceExpiresIn: NONCE_TTL_S }), { 'cache-control': 'no-store' });
        }
        case 'POST /credential':
          return await credential(req, res);
        case 'GET /':
          return send(res, 200, offerPage(await makeOffer()), 'text/html; charset=utf-8');
        default:
          return json(res, 404, { error: 'not_found' });
      }
    } catch (error) {
      if (error instanceof Oauth2ServerErrorResponseError) return json(res, error.status, error.errorResponse);
      if (error instanceof Oauth2ResourceUnauthorizedError) return json(res, 401, { error: 'invalid_token' }, { 'www-authenticate': error.toHeaderValue() });
      if (options.log) console.log(`[ferry] refused: ${(error as Error).message}`);
      return json(res, 400, { error: 'invalid_request', error_description: (error as Error).message.slice(0, 300) });
    }
  });

  const listening = await listenOn(handler, { port: options.port, host: options.host ?? '127.0.0.1' });
  origin = listening.origin();
  metadata = {
    originalDraftVersion: Openid4vciVersion.V1,
    ...ferryIssuerMetadata(issuer, authorizationServer, origin),
  };
  return { ...listening, makeOffer, did: key.did, issued };
}

if (runAsScript(import.meta.url)) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8087);
  const server = await startLibraryIssuer({ port, log: true });
  console.log(`${FERRY_NAME} (OpenID4VCI, @openid4vc/openid4vci) at ${server.url()}`);
  closeOnSignals(server);
}
