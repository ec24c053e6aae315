/**
 * The demo research portal: "Aldmere Institute for Child Health — research portal".
 *
 * It has its own did:key (the requester DID) and, at start, its accreditation from the
 * ethics board for its own origin. Serves `demo/sites/research/` (and `/shared/`, see
 * ../http.ts) and:
 * - `GET /api/portal` → `{ did, name, origin, accreditation, defaultMode, modes, trustedIssuers, rpcUrl }`;
 * - `POST /api/ask` `{ ai?, mode? }` → `{ requestId, params, mode }`: the
 *   `wallet_requestDataAccess` params (research purposes, and AI model training when
 *   `ai`), with a requester presentation for this origin and the fresh nonce, carrying
 *   the accreditation `mode` names (default: the portal's own; `none` sends no requester);
 * - `POST /api/grant` `{ requestId, answer }` → verifies the presentation and the consent
 *   receipt, keeps both → `{ verified: true, grant, received, unasked, missing }` or
 *   `{ verified: false, error }` (401);
 * - `POST /api/read-request` `{ grantId }` → `{ requestId, nonce }` for `wallet_accessData`;
 * - `POST /api/read` `{ requestId, vp_token }` → verifies again → `{ verified, received, grant }`;
 * - `POST /api/ended` `{ grantId, reason }`: the page reports the wallet ended access;
 * - `POST /api/receipt-check` `{ grantId, receiptProof?, rpcUrl? }` → the verify-receipt
 *   verdict (`valid`, `revoked` with the block, or `failed` naming the check);
 * - `GET /api/grants` → the grants the portal holds;
 * - `GET /unlisted-body/status/revocation` → the status list of the body behind the
 *   `untrusted-issuer` forgery (so that accreditation is complete but for its issuer).
 *
 * Standalone: `npx tsx demo/research/server.ts [port] [accreditor URL] [trusted issuer DID…]`
 * (without an accreditor URL the portal is unverified).
 */
import { HttpError, closeOnSignals, handle, json, listenOn, readJson, runAsScript, sameOrigin, send, serveSite, siteDir, type Listening } from '../http.ts';
import { createEd25519Did, type Ed25519Did } from '../registry/did-key.ts';
import type { AnchorChainReader } from '../../src/core/ports.ts';
import { AccreditationSource, REQUESTER_MODES, UNLISTED_BODY_PATH, accreditorAt, isRequesterMode, type AccreditorLink, type RequesterMode } from './accreditations.ts';
import { ResearchPortal } from './portal.ts';
import { describeGrant } from './study-grants.ts';
import { INSTITUTION_NAME } from './study.ts';

export const RESEARCH_SITE_DIR = siteDir('research');

export interface ResearchServerOptions {
  port?: number;
  host?: string;
  /** The ethics board: `startAccreditor()`'s server (or anything with its `issue`), or its URL. None: an unverified portal. */
  accreditor?: AccreditorLink | string;
  /** Whether the board approves AI model training for the study (default not). */
  aiTrainingApproved?: boolean;
  /** How the portal presents itself when a request names no mode (default `accredited`, `none` without an accreditor). */
  requesterMode?: RequesterMode;
  /** The issuers whose health summaries the portal accepts (the clinic's DID). Default any. */
  trustedIssuers?: string[];
  /** The chain node receipts are checked against when the page names none. */
  rpcUrl?: string;
  /** The chain client receipts are checked with (default viem's, as verify-receipt uses). */
  chain?: AnchorChainReader;
  /** The portal's DID key (default: a new one per start). */
  key?: Ed25519Did;
  log?: boolean;
}

export interface ResearchServer extends Listening {
  /** The requester DID. */
  did: string;
  key: Ed25519Did;
  portal: ResearchPortal;
  accreditations: AccreditationSource;
  /** The portal's own accreditation (from the board, for its origin), or null for an unverified portal. */
  accreditation: { id: string; credential: string } | null;
  /** Same as POST /api/ask from a page at `origin` (default the portal's). */
  ask(options?: { ai?: boolean; mode?: RequesterMode; origin?: string }): ReturnType<ResearchPortal['ask']>;
}

export async function startResearch(options: ResearchServerOptions = {}): Promise<ResearchServer> {
  const host = options.host ?? '127.0.0.1';
  const key = options.key ?? createEd25519Did();
  const accreditor = typeof options.accreditor === 'string' ? accreditorAt(options.accreditor) : options.accreditor;
  const defaultMode = options.requesterMode ?? (accreditor ? 'accredited' : 'none');
  const say = options.log ? (line: string) => console.log(`[research] ${line}`) : undefined;
  let ready: { portal: ResearchPortal; accreditations: AccreditationSource; accreditation: { id: string; credential: string } | null } | undefined;
  const need = () => {
    if (!ready) throw new HttpError(503, 'starting');
    return ready;
  };

  const handler = handle(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://research.invalid');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    if (route === `GET ${UNLISTED_BODY_PATH}/status/revocation`) {
      return send(res, 200, await need().accreditations.unlistedBody.statusListCredential(), 'application/vc+jwt', { 'access-control-allow-origin': '*' });
    }
    if (route === 'GET /api/portal') {
      const { accreditation } = need();
      return json(res, 200, {
        did: key.did,
        kid: key.kid,
        name: INSTITUTION_NAME,
        origin: listening.origin(host),
        accreditation: accreditation ? { id: accreditation.id, credential: accreditation.credential } : null,
        defaultMode,
        modes: REQUESTER_MODES,
        trustedIssuers: options.trustedIssuers ?? null,
        rpcUrl: options.rpcUrl ?? null,
      });
    }
    if (route === 'GET /api/grants') return json(res, 200, { grants: need().portal.grants.all().map(describeGrant) });
    if (req.method !== 'POST' || !url.pathname.startsWith('/api/')) return await serveSite(req, res, RESEARCH_SITE_DIR, url.pathname);

    const origin = sameOrigin(req);
    const body = await readJson(req);
    const { portal } = need();
    switch (url.pathname) {
      case '/api/ask': {
        if (body.mode !== undefined && !isRequesterMode(body.mode)) throw new HttpError(400, `mode must be one of ${REQUESTER_MODES.join(', ')}`);
        if (body.ai !== undefined && typeof body.ai !== 'boolean') throw new HttpError(400, 'ai must be true or false');
        return json(res, 200, await asking(portal, origin, { ai: body.ai, mode: body.mode }));
      }
      case '/api/grant': {
        const result = await portal.grant(origin, body.requestId, body.answer);
        return json(res, result.verified ? 200 : 401, result);
      }
      case '/api/read-request':
        return json(res, 200, portal.readRequest(origin, body.grantId));
      case '/api/read': {
        const result = await portal.read(origin, body.requestId, body.vp_token);
        return json(res, result.verified ? 200 : 401, result);
      }
      case '/api/ended':
        return json(res, 200, { ended: true, grant: portal.ended(origin, body.grantId, body.reason) });
      case '/api/receipt-check':
        return json(res, 200, await portal.checkReceipt(origin, body.grantId, body.receiptProof ?? undefined, body.rpcUrl ?? undefined));
      default:
        throw new HttpError(404, 'not found');
    }
  });

  const listening = await listenOn(handler, { port: options.port, host });
  const origin = listening.origin(host);
  try {
    const accreditations = new AccreditationSource({ subjectDid: key.did, origin, accreditor, aiTraining: options.aiTrainingApproved });
    const accreditation = accreditor ? await accreditations.credentialFor('accredited') : null;
    const portal = new ResearchPortal({ key, accreditations, defaultMode, trustedIssuers: options.trustedIssuers, rpcUrl: options.rpcUrl, chain: options.chain, log: say });
    ready = { portal, accreditations, accreditation };
    say?.(accreditation ? `accredited for ${origin} (accreditation ${accreditation.id})` : `no accreditation: an unverified portal at ${origin}`);
  } catch (error) {
    await listening.close();
    throw new Error(`the research portal could not get its accreditation: ${(error as Error).message}`, { cause: error });
  }
  const { portal, accreditations, accreditation } = ready;
  return {
    ...listening,
    did: key.did,
    key,
    portal,
    accreditations,
    accreditation,
    ask: ({ origin: from = origin, ...rest } = {}) => asking(portal, from, rest),
  };
}

/** portal.ask, with a mode the portal cannot present (no board) as a 400 naming why. */
async function asking(portal: ResearchPortal, origin: string, options: { ai?: boolean; mode?: RequesterMode }) {
  try {
    return await portal.ask(origin, options);
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, (error as Error).message);
  }
}

if (runAsScript(import.meta.url)) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8086);
  const [accreditorUrl, ...trusted] = process.argv.slice(3);
  const server = await startResearch({ port, accreditor: accreditorUrl, trustedIssuers: trusted.length > 0 ? trusted : undefined, rpcUrl: process.env.RPC_URL, log: true });
  console.log(`${INSTITUTION_NAME} research portal at ${server.url()} (requester ${server.did}${server.accreditation ? ', accredited' : ', unverified'})`);
  closeOnSignals(server);
}
