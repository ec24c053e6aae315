/**
 * The research portal's logic, apart from its HTTP: it asks a parent's wallet for the
 * study's data (`wallet_requestDataAccess` with its requester presentation), verifies
 * the answer — the SD-JWT presentation for its origin and nonce with the city's
 * verifier, the consent receipt with the library's — keeps the grant, reads again
 * under it (`wallet_accessData`), and checks the receipt on the chain.
 */
import { randomBytes } from 'node:crypto';
import { HttpError } from '../http.ts';
import type { Ed25519Did } from '../registry/did-key.ts';
import type { AnchorChainReader } from '../../src/core/ports.ts';
import { verifyDcApiResponse, type VerifiedQueryAnswer } from '../city/verifier.ts';
import { verifyConsentReceipt } from '../library/receipt.ts';
import { type AccreditationSource, type RequesterMode } from './accreditations.ts';
import { requesterPresentation } from './requester.ts';
import { checkReceiptOnChain, type ReceiptVerdict } from './receipt-check.ts';
import { StudyGrants, describeGrant, type StudyGrant } from './study-grants.ts';
import { AI_TRAINING_PURPOSE, RESEARCH_PURPOSES, STUDY_DURATION_DAYS, STUDY_RETENTION_DAYS, childHealthQuery, studyPurposes, type StudyQuery } from './study.ts';

const REQUEST_TTL_MS = 10 * 60_000;

/** The `wallet_requestDataAccess` params of the research contract. */
export interface StudyAccessParams {
  purpose: string[];
  dcql_query: StudyQuery;
  nonce: string;
  duration_days: number;
  retention_days: number;
  requester?: string;
}

export interface PortalVerification {
  at: string;
  kind: 'grant' | 'read';
  origin: string;
  ok: boolean;
  grantId?: string;
  mode?: RequesterMode;
  error?: string;
}

interface Pending {
  kind: 'grant' | 'read';
  origin: string;
  nonce: string;
  expiresAt: number;
  ai?: boolean;
  mode?: RequesterMode;
  grantId?: string;
}

export interface ResearchPortalOptions {
  key: Ed25519Did;
  accreditations: AccreditationSource;
  defaultMode: RequesterMode;
  /** Issuers whose health summaries the portal accepts (the clinic). Default: any issuer. */
  trustedIssuers?: string[];
  /** The chain node receipts are checked against when the page names none. */
  rpcUrl?: string;
  /** The chain client receipts are checked with (default viem's, as verify-receipt uses). */
  chain?: AnchorChainReader;
  log?: (line: string) => void;
}

/** Top-level claim names the query asks for. */
const askedClaims = new Set(childHealthQuery().credentials.flatMap((c) => (c.claims ?? []).map((claim) => String(claim.path[0]))));

export class ResearchPortal {
  readonly grants = new StudyGrants();
  readonly verifications: PortalVerification[] = [];
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly options: ResearchPortalOptions) {}

  /** A fresh `wallet_requestDataAccess` request; `ai` adds AI model training, `mode` says how the portal presents itself. */
  async ask(origin: string, { ai = false, mode = this.options.defaultMode }: { ai?: boolean; mode?: RequesterMode } = {}) {
    const accreditation = await this.options.accreditations.credentialFor(mode);
    const { requestId, nonce } = this.issue({ kind: 'grant', origin, ai, mode });
    const params: StudyAccessParams = {
      purpose: studyPurposes(ai),
      dcql_query: childHealthQuery(),
      nonce,
      duration_days: STUDY_DURATION_DAYS,
      retention_days: STUDY_RETENTION_DAYS,
    };
    if (accreditation) params.requester = await requesterPresentation(this.options.key, { origin, nonce, credentials: [accreditation.credential] });
    return { requestId, params, mode };
  }

  /** Verifies the wallet's `{ grant, receipt, vp_token }` for a pending request; failures are answered, not thrown. */
  async grant(origin: string, requestId: unknown, answer: unknown) {
    const request = this.take(requestId, 'grant', origin);
    const a = (answer ?? {}) as { grant?: { id?: unknown; did?: unknown }; receipt?: unknown; vp_token?: unknown };
    const grantId = a.grant?.id;
    try {
      if (typeof grantId !== 'string' || typeof a.grant?.did !== 'string') throw new Error('the answer has no grant');
      if (typeof a.receipt !== 'string') throw new Error('the answer has no consent receipt');
      const received = await this.verifyPresentation(request.nonce, a.vp_token, origin);
      const receipt = await verifyConsentReceipt(a.receipt, {
        origin,
        grantId,
        did: a.grant.did,
        purposes: [...RESEARCH_PURPOSES],
        optionalPurposes: request.ai ? [AI_TRAINING_PURPOSE] : [],
        claimValues: [received.claims],
      });
      const grant = this.grants.add({ origin, did: a.grant.did, mode: request.mode!, answer: received, receipt, receiptJwt: a.receipt });
      this.record({ kind: 'grant', origin, ok: true, grantId, mode: request.mode });
      return { verified: true as const, grant: describeGrant(grant), received: received.claims, unasked: this.unasked(received), missing: received.missing };
    } catch (error) {
      const message = (error as Error).message;
      this.record({ kind: 'grant', origin, ok: false, grantId: typeof grantId === 'string' ? grantId : undefined, mode: request.mode, error: message });
      return { verified: false as const, error: message };
    }
  }

  /** A nonce for `wallet_accessData` under a grant the portal holds. */
  readRequest(origin: string, grantId: unknown) {
    const grant = this.need(origin, grantId);
    // Even once the page said access ended, the wallet is the one to refuse (a 4100).
    return this.issue({ kind: 'read', origin, grantId: grant.grantId });
  }

  async read(origin: string, requestId: unknown, vpToken: unknown) {
    const request = this.take(requestId, 'read', origin);
    const grant = this.need(origin, request.grantId);
    try {
      const received = await this.verifyPresentation(request.nonce, vpToken, origin);
      this.grants.read(grant, { ok: true, claims: received.claims });
      this.record({ kind: 'read', origin, ok: true, grantId: grant.grantId });
      return { verified: true as const, received: received.claims, unasked: this.unasked(received), grant: describeGrant(grant) };
    } catch (error) {
      const message = (error as Error).message;
      this.grants.read(grant, { ok: false, error: message });
      this.record({ kind: 'read', origin, ok: false, grantId: grant.grantId, error: message });
      return { verified: false as const, error: message };
    }
  }

  /** The page reports the wallet ended access (a 4100 refusal, `grantRevoked`, `grantExpired`). */
  ended(origin: string, grantId: unknown, reason: unknown) {
    const grant = this.need(origin, grantId);
    if (typeof reason !== 'string' || reason === '') throw new HttpError(400, 'reason must be a string');
    this.grants.end(grant, reason.slice(0, 200));
    this.options.log?.(`${origin}: access under ${grant.grantId} ended (${grant.ended})`);
    return describeGrant(grant);
  }

  /** Checks the grant's receipt on chain with `proof` (or the one kept from before) against `rpcUrl` (or the portal's node). */
  async checkReceipt(origin: string, grantId: unknown, proof?: unknown, rpcUrl?: unknown): Promise<ReceiptVerdict> {
    const grant = this.need(origin, grantId);
    const node = rpcUrl ?? this.options.rpcUrl;
    if (typeof node !== 'string' || !/^https?:\/\/\S+$/.test(node)) throw new HttpError(400, 'rpcUrl must be the http(s) URL of a chain node (the portal has none configured)');
    const withProof = proof ?? grant.receiptProof;
    if (withProof === null || withProof === undefined) throw new HttpError(409, 'the wallet has not anchored this grant yet: there is no receipt proof to check');
    let verdict: ReceiptVerdict;
    try {
      verdict = await checkReceiptOnChain(withProof, grant.receipt, node, this.options.chain);
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    grant.receiptProof = withProof;
    grant.lastCheck = verdict;
    this.options.log?.(`receipt of ${grant.grantId} on ${node}: ${verdict.lines.at(-1)}`);
    return verdict;
  }

  private async verifyPresentation(nonce: string, vpToken: unknown, origin: string): Promise<VerifiedQueryAnswer> {
    const request = { response_type: 'vp_token', response_mode: 'dc_api', nonce, dcql_query: childHealthQuery() };
    const answers = await verifyDcApiResponse(request, { vp_token: vpToken }, { origin, trustedIssuers: this.options.trustedIssuers });
    if (answers.length !== 1) throw new Error(`expected one health summary, got ${answers.length} presentations`);
    return answers[0]!;
  }

  /** Claims the wallet disclosed that the query did not ask for (a wallet that minimises sends none). */
  private unasked(answer: VerifiedQueryAnswer): string[] {
    return Object.keys(answer.claims).filter((name) => !askedClaims.has(name));
  }

  private need(origin: string, grantId: unknown): StudyGrant {
    const grant = typeof grantId === 'string' ? this.grants.get(origin, grantId) : null;
    if (!grant) throw new HttpError(404, 'the portal holds no grant with that id');
    return grant;
  }

  private issue(entry: Omit<Pending, 'nonce' | 'expiresAt'>): { requestId: string; nonce: string } {
    const now = Date.now();
    for (const [id, p] of this.pending) if (p.expiresAt < now) this.pending.delete(id);
    const requestId = randomBytes(16).toString('base64url');
    const nonce = randomBytes(24).toString('base64url');
    this.pending.set(requestId, { ...entry, nonce, expiresAt: now + REQUEST_TTL_MS });
    return { requestId, nonce };
  }

  /** The pending request, taken (single use whatever the outcome), for this origin. */
  private take(requestId: unknown, kind: Pending['kind'], origin: string): Pending {
    const request = typeof requestId === 'string' ? this.pending.get(requestId) : undefined;
    if (!request || request.kind !== kind || request.expiresAt < Date.now()) {
      throw new HttpError(401, 'unknown request: the nonce was not issued by the portal, expired, or was already used');
    }
    this.pending.delete(requestId as string);
    if (request.origin !== origin) throw new HttpError(403, `the request was made for ${request.origin}, not ${origin}`);
    return request;
  }

  private record(entry: Omit<PortalVerification, 'at'>): void {
    this.verifications.push({ at: new Date().toISOString(), ...entry });
    this.options.log?.(`${entry.kind} from ${entry.origin}${entry.mode ? ` (${entry.mode})` : ''}: ${entry.ok ? 'verified' : `refused (${entry.error})`}`);
  }
}
