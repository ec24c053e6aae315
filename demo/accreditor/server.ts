/**
 * The demo accreditation body: "Aldmere Research Ethics Board".
 *
 * Serves `demo/sites/accreditor/` (and `/shared/`, see ../http.ts) and:
 * - `GET /api/body` → `{ did, kid, name, statusList }`: the DID a wallet user copies into
 *   the dashboard's accreditation list;
 * - `GET /api/accreditations` → `{ accreditations }`: what the board issued, newest first;
 * - `POST /api/issue` `{ subject, accreditation, validFrom?, validUntil? }` (the board's own
 *   page, or a script on this machine: no Origin header) → the issued accreditation;
 * - `POST /api/revoke` `{ id }` → sets the accreditation's status bit (for good);
 * - `GET /status/revocation` → the W3C BitstringStatusListCredential (VC-JWT), CORS `*`.
 *
 * Standalone: `npx tsx demo/accreditor/server.ts [port]`.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError, closeOnSignals, handle, json, listenOn, readJson, runAsScript, sameOrigin, send, serveSite, siteDir, type Listening } from '../http.ts';
import { createEd25519Did, type Ed25519Did } from '../registry/did-key.ts';
import { AccreditationBody, type AccreditationSubject, type AccreditationValidity, type IssuedAccreditation } from './accreditation.ts';

export const ACCREDITOR_SITE_DIR = siteDir('accreditor');

export interface AccreditorServerOptions {
  port?: number;
  /** Default 127.0.0.1; the status list is published under this host's origin. */
  host?: string;
  /** The board's signing key (default: a new one per start). */
  key?: Ed25519Did;
  log?: boolean;
}

export interface AccreditorEvent {
  at: string;
  kind: 'issued' | 'refused' | 'revoked' | 'status-fetched';
  detail: string;
}

export interface AccreditorServer extends Listening {
  body: AccreditationBody;
  /** The board's DID (did:key, Ed25519): what a wallet user puts on the accreditation list. */
  did: string;
  events: AccreditorEvent[];
  /** Same as POST /api/issue. */
  issue(subjectDid: string, subject: AccreditationSubject, validity?: AccreditationValidity): Promise<IssuedAccreditation>;
  /** Same as POST /api/revoke; false if the board issued no accreditation with that id. */
  revoke(id: string): boolean;
}

/** What the page and the API show of an accreditation. */
export function describeAccreditation(a: IssuedAccreditation) {
  return {
    id: a.id,
    subjectDid: a.subjectDid,
    name: a.subject.name,
    origins: a.subject.origins,
    studies: a.subject.studies.map((s) => ({ id: s.id, title: s.title, ethicsApproval: s.ethicsApproval, dataUses: s.dataUses })),
    statusIndex: a.statusIndex,
    statusUrl: a.statusUrl,
    issuedAt: a.issuedAt,
    validFrom: a.validFrom,
    validUntil: a.validUntil,
    revoked: a.revoked,
    credential: a.credential,
  };
}

function dateFrom(value: unknown, field: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const at = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw new HttpError(400, `${field} must be an ISO date-time`);
  return at;
}

/** The board's page, or a local script (no Origin): never another site's page. */
function localOrOwnPage(req: IncomingMessage): void {
  if (req.headers.origin !== undefined) sameOrigin(req);
}

export async function startAccreditor(options: AccreditorServerOptions = {}): Promise<AccreditorServer> {
  const host = options.host ?? '127.0.0.1';
  const events: AccreditorEvent[] = [];
  let body: AccreditationBody | undefined;
  const log = (kind: AccreditorEvent['kind'], detail: string) => {
    events.push({ at: new Date().toISOString(), kind, detail });
    if (options.log) console.log(`[accreditor] ${kind}: ${detail}`);
  };
  const need = () => {
    if (!body) throw new HttpError(503, 'starting');
    return body;
  };

  const issue = async (subjectDid: string, subject: AccreditationSubject, validity?: AccreditationValidity) => {
    try {
      const issued = await need().issue(subjectDid, subject, validity);
      log('issued', `${issued.subject.name} (${subjectDid}) for ${issued.subject.origins.join(', ')}, status index ${issued.statusIndex}, until ${issued.validUntil}`);
      return issued;
    } catch (error) {
      log('refused', (error as Error).message);
      throw error;
    }
  };
  const revoke = (id: string) => {
    const ok = need().revoke(id);
    if (ok) log('revoked', `accreditation ${id}`);
    return ok;
  };

  const statusHeaders = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'content-type' };

  const handler = handle(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://accreditor.invalid');
    switch (`${req.method ?? 'GET'} ${url.pathname}`) {
      case 'GET /api/body': {
        const b = need();
        return json(res, 200, { did: b.did, kid: b.kid, name: b.name, statusList: b.statusUrl });
      }
      case 'GET /api/accreditations':
        return json(res, 200, { accreditations: need().issued.map(describeAccreditation).reverse() });
      case 'POST /api/issue': {
        localOrOwnPage(req);
        const input = await readJson(req);
        if (typeof input.subject !== 'string') throw new HttpError(400, 'subject must be the research institution\u2019s DID');
        const validity = { validFrom: dateFrom(input.validFrom, 'validFrom'), validUntil: dateFrom(input.validUntil, 'validUntil') };
        let issued: IssuedAccreditation;
        try {
          issued = await issue(input.subject, input.accreditation as AccreditationSubject, validity);
        } catch (error) {
          throw new HttpError(400, (error as Error).message);
        }
        return json(res, 200, describeAccreditation(issued));
      }
      case 'POST /api/revoke': {
        localOrOwnPage(req);
        const input = await readJson(req);
        if (typeof input.id !== 'string') throw new HttpError(400, 'id must be an accreditation id');
        if (!revoke(input.id)) throw new HttpError(404, 'the board issued no accreditation with that id');
        return json(res, 200, { ok: true, id: input.id, revoked: true });
      }
      case 'OPTIONS /status/revocation':
        res.writeHead(204, { ...statusHeaders, 'access-control-allow-methods': 'GET', 'access-control-allow-headers': 'accept' });
        return void res.end();
      case 'GET /status/revocation':
        log('status-fetched', 'revocation (W3C Bitstring Status List)');
        return send(res, 200, await need().statusListCredential(), 'application/vc+jwt', statusHeaders);
      default:
        return await serveSite(req, res, ACCREDITOR_SITE_DIR, url.pathname);
    }
  });

  const listening = await listenOn(handler, { port: options.port, host });
  body = new AccreditationBody({ baseUrl: listening.origin(host), key: options.key ?? createEd25519Did() });
  const ready = body;
  return { ...listening, body: ready, did: ready.did, events, issue, revoke };
}

if (runAsScript(import.meta.url)) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8084);
  const server = await startAccreditor({ port, log: true });
  console.log(`Aldmere Research Ethics Board at ${server.url()} (accreditation body ${server.did})`);
  closeOnSignals(server);
}
