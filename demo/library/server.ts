/**
 * The demo data-access site: "Aldmere City Library — a library card for residents".
 *
 * The library asks the wallet once for ongoing access to the holder's residency (the
 * civic registry's ResidentCredential: name and address) for a year, and later renews
 * the card by reading under that grant, without a prompt. Serves `demo/sites/library/`
 * (and `/shared/`, see ../http.ts) and:
 * - `POST /api/ask` → `{ requestId, params }`: the `wallet_requestDataAccess` params
 *   (purpose `dpv:ServiceProvision`, DCQL, a fresh nonce, 365 days);
 * - `POST /api/grant` `{ requestId, answer: { grant, receipt, vp_token } }` → verifies
 *   the presentation (for this origin and that nonce) and the consent receipt (signed
 *   by the grant's pairwise DID, no claim values), keeps the grant id →
 *   `{ verified: true, member, receipt }` or `{ verified: false, error }`;
 * - `POST /api/renew-request` `{ grantId }` → `{ requestId, nonce }` for `wallet_accessData`;
 * - `POST /api/renew` `{ requestId, vp_token }` → verifies the fresh presentation →
 *   `{ verified: true, member }`;
 * - `POST /api/ended` `{ grantId, reason }`: the page reports the wallet ended the grant
 *   (a 4100, a `grantRevoked` event, or the library giving up access);
 * - `GET /plain` an empty page.
 *
 * Standalone: `npx tsx demo/library/server.ts [port] [trusted issuer DID…]`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { HttpError, closeOnSignals, handle, json, listenOn, readJson, runAsScript, sameOrigin, serveSite, siteDir, type Listening } from '../http.ts';
import { verifyDcApiResponse, type VerifiedQueryAnswer } from '../city/verifier.ts';
import type { DcqlQuery } from '../city/requests.ts';
import { RESIDENT_TYPE } from '../registry/issuer.ts';
import { verifyConsentReceipt, type VerifiedReceipt } from './receipt.ts';
import { LibraryBook, type LibraryMember } from './members.ts';

export const LIBRARY_SITE_DIR = siteDir('library');
export const LIBRARY_PURPOSE = 'dpv:ServiceProvision';
export const LIBRARY_TERM_DAYS = 365;
export const LIBRARY_RETENTION_DAYS = 400;
const REQUEST_TTL_MS = 10 * 60_000;

/** Residency: the resident card's name and address (the whole JWT VC leaves; these are what the library reads). */
export function residencyQuery(): DcqlQuery {
  return {
    credentials: [
      {
        id: 'residency',
        format: 'jwt_vc_json',
        meta: { type_values: [[RESIDENT_TYPE]] },
        claims: [
          { path: ['credentialSubject', 'given_name'] },
          { path: ['credentialSubject', 'family_name'] },
          { path: ['credentialSubject', 'address'] },
        ],
      },
    ],
  };
}

export interface DataAccessParams {
  purpose: string;
  dcql_query: DcqlQuery;
  nonce: string;
  duration_days: number;
  retention_days: number;
  usage_limit?: number;
}

export interface LibraryVerification {
  at: string;
  kind: 'grant' | 'renew';
  origin: string;
  ok: boolean;
  grantId?: string;
  nonce?: string;
  answers?: VerifiedQueryAnswer[];
  receipt?: VerifiedReceipt;
  error?: string;
}

interface Pending {
  kind: 'grant' | 'renew';
  origin: string;
  nonce: string;
  grantId?: string;
  expiresAt: number;
}

export interface LibraryServerOptions {
  port?: number;
  host?: string;
  /** Same port on more loopback addresses (each another origin). Default none. */
  extraHosts?: string[];
  /** Issuers whose resident cards the library accepts. Default: any issuer. */
  trustedIssuers?: string[];
  log?: boolean;
}

export interface LibraryServer extends Listening {
  verifications: LibraryVerification[];
  book: LibraryBook;
  /** Same as POST /api/ask for a page at `origin`; `extra` overrides params (tests: a usage limit). */
  ask(origin: string, extra?: Partial<DataAccessParams>): { requestId: string; params: DataAccessParams };
  /** Same as POST /api/renew-request. */
  renewRequest(origin: string, grantId: string): { requestId: string; nonce: string };
}

export async function startLibrary(options: LibraryServerOptions = {}): Promise<LibraryServer> {
  const pending = new Map<string, Pending>();
  const verifications: LibraryVerification[] = [];
  const book = new LibraryBook();
  const record = (entry: Omit<LibraryVerification, 'at'>): LibraryVerification => {
    const full = { at: new Date().toISOString(), ...entry };
    verifications.push(full);
    if (options.log) console.log(`[library] ${full.kind} from ${full.origin}: ${full.ok ? 'verified' : `refused (${full.error})`}`);
    return full;
  };

  const issue = (entry: Omit<Pending, 'nonce' | 'expiresAt'>): { requestId: string; nonce: string } => {
    const now = Date.now();
    for (const [id, p] of pending) if (p.expiresAt < now) pending.delete(id);
    const requestId = randomBytes(16).toString('base64url');
    const nonce = randomBytes(24).toString('base64url');
    pending.set(requestId, { ...entry, nonce, expiresAt: now + REQUEST_TTL_MS });
    return { requestId, nonce };
  };

  /** The pending request, taken (single use whatever the outcome), for this origin. */
  const take = (requestId: unknown, kind: Pending['kind'], origin: string): Pending => {
    const request = typeof requestId === 'string' ? pending.get(requestId) : undefined;
    if (!request || request.kind !== kind || request.expiresAt < Date.now()) {
      throw new HttpError(401, 'unknown request: the nonce was not issued by the library, expired, or was already used');
    }
    pending.delete(requestId as string);
    if (request.origin !== origin) throw new HttpError(403, `the request was made for ${request.origin}, not ${origin}`);
    return request;
  };

  const ask = (origin: string, extra: Partial<DataAccessParams> = {}) => {
    const { requestId, nonce } = issue({ kind: 'grant', origin });
    const params: DataAccessParams = {
      purpose: LIBRARY_PURPOSE,
      dcql_query: residencyQuery(),
      nonce,
      duration_days: LIBRARY_TERM_DAYS,
      retention_days: LIBRARY_RETENTION_DAYS,
      ...extra,
    };
    pending.get(requestId)!.nonce = params.nonce;
    return { requestId, params };
  };

  const renewRequest = (origin: string, grantId: string) => {
    const member = book.get(origin, grantId);
    // Even once the page said the access ended, the wallet is the one to refuse (a 4100).
    if (!member) throw new HttpError(404, 'the library holds no grant with that id');
    return issue({ kind: 'renew', origin, grantId });
  };

  const verifyPresentation = (nonce: string, vpToken: unknown, origin: string) =>
    verifyDcApiResponse({ response_type: 'vp_token', response_mode: 'dc_api', nonce, dcql_query: residencyQuery() }, { vp_token: vpToken }, {
      origin,
      trustedIssuers: options.trustedIssuers,
    });

  const apiGrant = async (req: IncomingMessage, res: ServerResponse) => {
    const origin = sameOrigin(req);
    const body = await readJson(req);
    const request = take(body.requestId, 'grant', origin);
    const answer = body.answer as { grant?: { id?: unknown; did?: unknown; expiresAt?: unknown }; receipt?: unknown; vp_token?: unknown } | undefined;
    const grantId = answer?.grant?.id;
    try {
      if (typeof grantId !== 'string' || typeof answer?.grant?.did !== 'string') throw new Error('the answer has no grant');
      if (typeof answer.receipt !== 'string') throw new Error('the answer has no consent receipt');
      const answers = await verifyPresentation(request.nonce, answer.vp_token, origin);
      const receipt = await verifyConsentReceipt(answer.receipt, {
        origin,
        grantId,
        did: answer.grant.did,
        purposes: [LIBRARY_PURPOSE],
        claimValues: answers.map((a) => a.claims),
      });
      const member = book.join(origin, grantId, answer.grant.did, answers[0]!, receipt);
      record({ kind: 'grant', origin, ok: true, grantId, nonce: request.nonce, answers, receipt });
      json(res, 200, { verified: true, member, receipt: { issuer: receipt.issuer, purposes: receipt.grant.purposes, expiresAt: receipt.grant.expiresAt } });
    } catch (error) {
      record({ kind: 'grant', origin, ok: false, grantId: typeof grantId === 'string' ? grantId : undefined, error: (error as Error).message });
      json(res, 401, { verified: false, error: (error as Error).message });
    }
  };

  const apiRenew = async (req: IncomingMessage, res: ServerResponse) => {
    const origin = sameOrigin(req);
    const body = await readJson(req);
    const request = take(body.requestId, 'renew', origin);
    const grantId = request.grantId!;
    try {
      const answers = await verifyPresentation(request.nonce, body.vp_token, origin);
      const member = book.renew(origin, grantId, answers[0]!);
      record({ kind: 'renew', origin, ok: true, grantId, nonce: request.nonce, answers });
      json(res, 200, { verified: true, member });
    } catch (error) {
      record({ kind: 'renew', origin, ok: false, grantId, error: (error as Error).message });
      json(res, 401, { verified: false, error: (error as Error).message });
    }
  };

  const handler = handle(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://library.invalid');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case 'POST /api/ask': {
        const origin = sameOrigin(req);
        return json(res, 200, ask(origin));
      }
      case 'POST /api/grant':
        return await apiGrant(req, res);
      case 'POST /api/renew-request': {
        const origin = sameOrigin(req);
        const body = await readJson(req);
        if (typeof body.grantId !== 'string') throw new HttpError(400, 'grantId must be a string');
        return json(res, 200, renewRequest(origin, body.grantId));
      }
      case 'POST /api/renew':
        return await apiRenew(req, res);
      case 'POST /api/ended': {
        const origin = sameOrigin(req);
        const body = await readJson(req);
        if (typeof body.grantId !== 'string' || typeof body.reason !== 'string') throw new HttpError(400, 'grantId and reason must be strings');
        const member: LibraryMember | null = book.end(origin, body.grantId, body.reason.slice(0, 200));
        if (options.log && member) console.log(`[library] ${origin}: access under ${body.grantId} ended (${member.ended})`);
        return json(res, member ? 200 : 404, { ended: member !== null });
      }
      default:
        return await serveSite(req, res, LIBRARY_SITE_DIR, url.pathname);
    }
  });

  const listening = await listenOn(handler, { port: options.port, host: options.host ?? '127.0.0.1', extraHosts: options.extraHosts ?? [] });
  return { ...listening, verifications, book, ask, renewRequest };
}

if (runAsScript(import.meta.url)) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8083);
  const trusted = process.argv.slice(3);
  const server = await startLibrary({ port, trustedIssuers: trusted.length > 0 ? trusted : undefined, log: true });
  console.log(`Aldmere City Library (data-access grants) at ${server.url()}`);
  closeOnSignals(server);
}
