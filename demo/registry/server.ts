/**
 * The demo issuer: "Aldmere Civic Registry".
 *
 * Serves `demo/sites/registry/` (and `/shared/`, see ../http.ts) and:
 * - `GET /api/nonce` → `{ nonce }` for the wallet_requestIdentity that tells the registry
 *   which DID to issue to;
 * - `POST /api/issue` `{ presentation, subject? }` → verifies the login presentation
 *   (did-jwt-vc, for this origin and an unused nonce of ours), then issues a resident
 *   credential (JWT VC) and a PID (SD-JWT VC) bound to that DID → `{ holder, credentials }`;
 * - `GET /api/issued?holder=<did>` → what was issued to that DID and whether it is revoked;
 * - `POST /api/revoke` `{ kind, index }` (kind: resident|pid|revocation|token) → sets the
 *   credential's status bit (for good: a revocation is not undone);
 * - `GET /status/revocation` → the W3C BitstringStatusListCredential (VC-JWT);
 * - `GET /status/token` → the IETF Status List Token (`statuslist+jwt`);
 * - `GET /api/issuer` → `{ did, kid, name, statusLists }`; `GET /plain` an empty page;
 * - OpenID4VCI issuance (metadata, offers, token, nonce, credential, authorize): openid4vci-issuer.ts.
 * Status lists carry `Access-Control-Allow-Origin: *` (wallets fetch them from anywhere).
 *
 * Standalone: `npx tsx demo/registry/server.ts [port]`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, NonceStore, closeOnSignals, handle, json, listenOn, readJson, runAsScript, sameOrigin, send, serveSite, siteDir, type Listening } from '../http.ts';
import { decodeJwtPayload, verifyLoginPresentation } from '../verify.ts';
import { createEd25519Did, publicKeyFromDidKey, type Ed25519Did } from './did-key.ts';
import {
  DEMO_RESIDENT,
  RegistryIssuer,
  type CredentialKind,
  type IssuedCredential,
  type ResidentData,
  type StatusListKind,
} from './issuer.ts';
import { RegistryOpenid4vci } from './openid4vci-issuer.ts';

export const REGISTRY_SITE_DIR = siteDir('registry');
const NONCE_TTL_MS = 5 * 60_000;

export interface RegistryServerOptions {
  port?: number;
  /** Default 127.0.0.1. The status lists are published under this host's origin. */
  host?: string;
  /** Default none: the registry is one origin (its port on 127.0.0.1, plus localhost). */
  extraHosts?: string[];
  /** The registry's signing key (default: a new one per start). */
  key?: Ed25519Did;
  log?: boolean;
}

export interface RegistryEvent {
  at: string;
  kind: 'issued' | 'refused' | 'revoked' | 'status-fetched';
  detail: string;
}

export interface RegistryServer extends Listening {
  issuer: RegistryIssuer;
  /** The registry as an OpenID4VCI issuer (offers, grants): see openid4vci-issuer.ts. */
  openid4vci: RegistryOpenid4vci;
  /** The registry's DID (did:key, Ed25519). */
  did: string;
  events: RegistryEvent[];
  /** Same as POST /api/revoke. */
  revoke(kind: CredentialKind | StatusListKind, index: number): boolean;
}

function listOf(kind: unknown): StatusListKind {
  if (kind === 'resident' || kind === 'revocation') return 'revocation';
  if (kind === 'pid' || kind === 'token') return 'token';
  throw new HttpError(400, "kind must be 'resident', 'pid', 'revocation' or 'token'");
}

function subjectFrom(input: unknown): ResidentData {
  if (input === undefined || input === null) return DEMO_RESIDENT;
  if (typeof input !== 'object' || Array.isArray(input)) throw new HttpError(400, 'subject must be an object');
  const s = input as Record<string, unknown>;
  const text = (name: string, fallback: string) => {
    const value = s[name];
    if (value === undefined || value === '') return fallback;
    if (typeof value !== 'string' || value.length > 60 || !/^[\p{L}\p{M}' .-]+$/u.test(value)) {
      throw new HttpError(400, `subject.${name} must be a name of at most 60 letters`);
    }
    return value.trim();
  };
  const birthdate = s.birthdate ?? DEMO_RESIDENT.birthdate;
  if (typeof birthdate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birthdate) || Number.isNaN(Date.parse(birthdate))) {
    throw new HttpError(400, 'subject.birthdate must be YYYY-MM-DD');
  }
  return {
    ...DEMO_RESIDENT,
    given_name: text('given_name', DEMO_RESIDENT.given_name),
    family_name: text('family_name', DEMO_RESIDENT.family_name),
    birthdate,
  };
}

/** What the page and the API show of an issued credential. */
function describe(c: IssuedCredential) {
  return {
    id: c.id,
    kind: c.kind,
    format: c.format,
    holder: c.holder,
    credential: c.credential,
    statusList: c.statusList,
    statusIndex: c.statusIndex,
    statusUrl: c.statusUrl,
    issuedAt: c.issuedAt,
    revoked: c.revoked,
  };
}

export async function startRegistry(options: RegistryServerOptions = {}): Promise<RegistryServer> {
  const host = options.host ?? '127.0.0.1';
  const nonces = new NonceStore(NONCE_TTL_MS);
  const events: RegistryEvent[] = [];
  let issuer: RegistryIssuer | undefined;
  let openid4vci: RegistryOpenid4vci | undefined;
  const log = (kind: RegistryEvent['kind'], detail: string) => {
    events.push({ at: new Date().toISOString(), kind, detail });
    if (options.log) console.log(`[registry] ${kind}: ${detail}`);
  };
  const need = () => {
    if (!issuer) throw new HttpError(503, 'starting');
    return issuer;
  };
  const revoke = (kind: unknown, index: unknown) => {
    const list = listOf(kind);
    if (typeof index !== 'number' || !Number.isSafeInteger(index)) throw new HttpError(400, 'index must be an integer');
    const ok = need().revoke(list, index);
    if (ok) log('revoked', `${list} list, index ${index}`);
    return ok;
  };

  const issue = async (req: IncomingMessage, res: ServerResponse) => {
    const origin = sameOrigin(req);
    const body = await readJson(req);
    const presentation = body.presentation;
    if (typeof presentation !== 'string') throw new HttpError(400, 'presentation must be a string (a VP JWT)');
    let nonce: unknown;
    try {
      nonce = decodeJwtPayload(presentation).nonce;
    } catch (error) {
      throw new HttpError(400, `presentation is not a JWT: ${(error as Error).message}`);
    }
    if (!nonces.take(nonce)) {
      log('refused', 'a presentation with a nonce the registry did not issue (or already used)');
      throw new HttpError(401, 'the nonce was not issued by the registry, expired, or was already used');
    }
    let did: string;
    try {
      did = (await verifyLoginPresentation(presentation, { origin, challenge: nonce })).did;
      publicKeyFromDidKey(did); // an Ed25519 did:key: the PID's cnf.jwk is derived from it
    } catch (error) {
      log('refused', `login presentation: ${(error as Error).message}`);
      throw new HttpError(401, `verification failed: ${(error as Error).message}`);
    }
    const subject = subjectFrom(body.subject);
    const credentials = await need().issueAll(did, subject);
    for (const c of credentials) log('issued', `${c.kind} (${c.format}) to ${did}, ${c.statusList} index ${c.statusIndex}`);
    json(res, 200, { holder: did, issuer: need().did, credentials: credentials.map(describe) });
  };

  const statusHeaders = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'content-type' };

  const handler = handle(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://registry.invalid');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    if (openid4vci && (await openid4vci.route(req, res, url))) return;
    switch (route) {
      case 'GET /api/nonce':
        return json(res, 200, { nonce: nonces.issue().nonce });
      case 'GET /api/issuer': {
        const i = need();
        return json(res, 200, {
          did: i.did,
          kid: i.kid,
          name: i.name,
          statusLists: { revocation: i.statusUrl('revocation'), token: i.statusUrl('token') },
        });
      }
      case 'POST /api/issue':
        return await issue(req, res);
      case 'GET /api/issued': {
        const holder = url.searchParams.get('holder');
        if (!holder) throw new HttpError(400, 'holder is required');
        return json(res, 200, { credentials: need().issued.filter((c) => c.holder === holder).map(describe) });
      }
      case 'POST /api/revoke': {
        // The registry's own clerk page, or a script on this machine (no Origin header).
        if (req.headers.origin !== undefined) sameOrigin(req);
        const body = await readJson(req);
        if (!revoke(body.kind, body.index)) throw new HttpError(404, 'no credential was issued at that index');
        return json(res, 200, { ok: true, list: listOf(body.kind), index: body.index, revoked: true });
      }
      case 'OPTIONS /status/revocation':
      case 'OPTIONS /status/token':
        res.writeHead(204, { ...statusHeaders, 'access-control-allow-methods': 'GET', 'access-control-allow-headers': 'accept' });
        return void res.end();
      case 'GET /status/revocation':
        log('status-fetched', 'revocation (W3C Bitstring Status List)');
        return send(res, 200, await need().bitstringStatusListCredential(), 'application/vc+jwt', statusHeaders);
      case 'GET /status/token':
        log('status-fetched', 'token (IETF Token Status List)');
        return send(res, 200, need().tokenStatusList(), 'application/statuslist+jwt', statusHeaders);
      default:
        return await serveSite(req, res, REGISTRY_SITE_DIR, url.pathname);
    }
  });

  const listening = await listenOn(handler, { port: options.port, host, extraHosts: options.extraHosts ?? [] });
  issuer = new RegistryIssuer({ origin: listening.origin(host), key: options.key ?? createEd25519Did() });
  const ready = issuer;
  openid4vci = new RegistryOpenid4vci(ready, { siteDir: REGISTRY_SITE_DIR, log: (kind, detail) => log(kind, detail) });
  return {
    ...listening,
    issuer: ready,
    openid4vci,
    did: ready.did,
    events,
    revoke: (kind, index) => revoke(kind, index),
  };
}

if (runAsScript(import.meta.url)) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8081);
  const server = await startRegistry({ port, log: true });
  console.log(`Aldmere Civic Registry at ${server.url()} (issuer ${server.did})`);
  closeOnSignals(server);
}
