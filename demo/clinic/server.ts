/**
 * The demo health-data issuer: "Aldmere Children's Clinic".
 *
 * A parent logs in with Tessera (wallet_requestIdentity names the DID to issue to) and
 * receives their child's pediatric health summary in the wallet (wallet_offerCredential).
 * Serves `demo/sites/clinic/` (and `/shared/`, see ../http.ts) and:
 * - `GET /api/nonce` → `{ nonce }` for the wallet_requestIdentity;
 * - `POST /api/issue` `{ presentation, child? }` → verifies the login presentation
 *   (did-jwt-vc, for this origin and an unused nonce of ours), then issues the summary
 *   (SD-JWT VC) bound to that DID's key → `{ holder, issuer, credential }`;
 * - `GET /api/issuer` → `{ did, kid, name, statusList }`;
 * - `GET /api/issued?holder=<did>` → what was issued to that DID and whether it is revoked;
 * - `POST /api/revoke` `{ id }` (the clinic's page or a local script) → sets its status bit, for good;
 * - `GET /status/token` → the IETF Status List Token (`statuslist+jwt`), CORS `*`.
 *
 * Standalone: `npx tsx demo/clinic/server.ts [port]`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, NonceStore, closeOnSignals, handle, json, listenOn, readJson, runAsScript, sameOrigin, send, serveSite, siteDir, type Listening } from '../http.ts';
import { decodeJwtPayload, verifyLoginPresentation } from '../verify.ts';
import { createEd25519Did, publicKeyFromDidKey, type Ed25519Did } from '../registry/did-key.ts';
import { ClinicIssuer, DEMO_CHILD, type ChildRecord, type IssuedHealthSummary } from './health-credential.ts';

export const CLINIC_SITE_DIR = siteDir('clinic');
const NONCE_TTL_MS = 5 * 60_000;

export interface ClinicServerOptions {
  port?: number;
  /** Default 127.0.0.1; the status list is published under this host's origin. */
  host?: string;
  key?: Ed25519Did;
  log?: boolean;
}

export interface ClinicEvent {
  at: string;
  kind: 'issued' | 'refused' | 'revoked' | 'status-fetched';
  detail: string;
}

export interface ClinicServer extends Listening {
  issuer: ClinicIssuer;
  /** The clinic's DID (did:key, Ed25519): the issuer a research portal trusts. */
  did: string;
  events: ClinicEvent[];
  /** Issues the summary to `holderDid` without a login (tests; the page logs in first). */
  issue(holderDid: string, child?: ChildRecord): Promise<IssuedHealthSummary>;
  /** Same as POST /api/revoke; false if the clinic issued nothing with that id. */
  revoke(id: string): boolean;
}

/** The page may rename the child or change the birth date; everything else is the clinic's record. */
export function childFrom(input: unknown): ChildRecord {
  if (input === undefined || input === null) return DEMO_CHILD;
  if (typeof input !== 'object' || Array.isArray(input)) throw new HttpError(400, 'child must be an object');
  const c = input as Record<string, unknown>;
  const name = (field: 'given_name' | 'family_name') => {
    const value = c[field];
    if (value === undefined || value === '') return DEMO_CHILD[field];
    if (typeof value !== 'string' || value.length > 60 || !/^[\p{L}\p{M}' .-]+$/u.test(value)) throw new HttpError(400, `child.${field} must be a name of at most 60 letters`);
    return value.trim();
  };
  const birthdate = c.birthdate ?? DEMO_CHILD.birthdate;
  if (typeof birthdate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birthdate) || Number.isNaN(Date.parse(birthdate))) {
    throw new HttpError(400, 'child.birthdate must be YYYY-MM-DD');
  }
  if (Date.parse(birthdate) > Date.now()) throw new HttpError(400, 'child.birthdate is in the future');
  return { ...DEMO_CHILD, given_name: name('given_name'), family_name: name('family_name'), birthdate };
}

export function describeSummary(c: IssuedHealthSummary) {
  return { id: c.id, holder: c.holder, credential: c.credential, claims: c.claims, statusIndex: c.statusIndex, statusUrl: c.statusUrl, issuedAt: c.issuedAt, revoked: c.revoked };
}

export async function startClinic(options: ClinicServerOptions = {}): Promise<ClinicServer> {
  const host = options.host ?? '127.0.0.1';
  const nonces = new NonceStore(NONCE_TTL_MS);
  const events: ClinicEvent[] = [];
  let issuer: ClinicIssuer | undefined;
  const log = (kind: ClinicEvent['kind'], detail: string) => {
    events.push({ at: new Date().toISOString(), kind, detail });
    if (options.log) console.log(`[clinic] ${kind}: ${detail}`);
  };
  const need = () => {
    if (!issuer) throw new HttpError(503, 'starting');
    return issuer;
  };
  const issue = async (holderDid: string, child?: ChildRecord) => {
    const issued = await need().issue(holderDid, child);
    log('issued', `health summary to ${holderDid}, token status index ${issued.statusIndex}`);
    return issued;
  };
  const revoke = (id: string) => {
    const ok = need().revoke(id);
    if (ok) log('revoked', `health summary ${id}`);
    return ok;
  };

  const apiIssue = async (req: IncomingMessage, res: ServerResponse) => {
    const origin = sameOrigin(req);
    const body = await readJson(req);
    const presentation = body.presentation;
    if (typeof presentation !== 'string') throw new HttpError(400, 'presentation must be a string (a VP JWT)');
    const child = childFrom(body.child);
    let nonce: unknown;
    try {
      nonce = decodeJwtPayload(presentation).nonce;
    } catch (error) {
      throw new HttpError(400, `presentation is not a JWT: ${(error as Error).message}`);
    }
    if (!nonces.take(nonce)) {
      log('refused', 'a presentation with a nonce the clinic did not issue (or already used)');
      throw new HttpError(401, 'the nonce was not issued by the clinic, expired, or was already used');
    }
    let did: string;
    try {
      did = (await verifyLoginPresentation(presentation, { origin, challenge: nonce })).did;
      publicKeyFromDidKey(did); // an Ed25519 did:key: the summary's cnf.jwk is derived from it
    } catch (error) {
      log('refused', `login presentation: ${(error as Error).message}`);
      throw new HttpError(401, `verification failed: ${(error as Error).message}`);
    }
    const issued = await issue(did, child);
    json(res, 200, { holder: did, issuer: need().did, credential: describeSummary(issued) });
  };

  const statusHeaders = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'content-type' };

  const handler = handle(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://clinic.invalid');
    switch (`${req.method ?? 'GET'} ${url.pathname}`) {
      case 'GET /api/nonce':
        return json(res, 200, { nonce: nonces.issue().nonce });
      case 'GET /api/issuer': {
        const i = need();
        return json(res, 200, { did: i.did, kid: i.kid, name: i.name, statusList: i.statusUrl });
      }
      case 'POST /api/issue':
        return await apiIssue(req, res);
      case 'GET /api/issued': {
        const holder = url.searchParams.get('holder');
        if (!holder) throw new HttpError(400, 'holder is required');
        return json(res, 200, { credentials: need().issued.filter((c) => c.holder === holder).map(describeSummary) });
      }
      case 'POST /api/revoke': {
        if (req.headers.origin !== undefined) sameOrigin(req);
        const body = await readJson(req);
        if (typeof body.id !== 'string') throw new HttpError(400, 'id must be the id of an issued summary');
        if (!revoke(body.id)) throw new HttpError(404, 'the clinic issued no summary with that id');
        return json(res, 200, { ok: true, id: body.id, revoked: true });
      }
      case 'OPTIONS /status/token':
        res.writeHead(204, { ...statusHeaders, 'access-control-allow-methods': 'GET', 'access-control-allow-headers': 'accept' });
        return void res.end();
      case 'GET /status/token':
        log('status-fetched', 'token (IETF Token Status List)');
        return send(res, 200, need().statusListToken(), 'application/statuslist+jwt', statusHeaders);
      default:
        return await serveSite(req, res, CLINIC_SITE_DIR, url.pathname);
    }
  });

  const listening = await listenOn(handler, { port: options.port, host });
  issuer = new ClinicIssuer({ baseUrl: listening.origin(host), key: options.key ?? createEd25519Did() });
  const ready = issuer;
  return { ...listening, issuer: ready, did: ready.did, events, issue, revoke };
}

if (runAsScript(import.meta.url)) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8085);
  const server = await startClinic({ port, log: true });
  console.log(`Aldmere Children's Clinic at ${server.url()} (issuer ${server.did})`);
  closeOnSignals(server);
}
