/**
 * What the research portal keeps of each data-access grant: the consent receipt (and
 * its chain proof once the wallet has anchored it), the claims it received — only the
 * disclosed ones — each read under the grant, how access ended and the last on-chain
 * check. In memory, like every demo site.
 */
import type { VerifiedQueryAnswer } from '../city/verifier.ts';
import type { VerifiedReceipt } from '../library/receipt.ts';
import type { RequesterMode } from './accreditations.ts';
import type { ReceiptVerdict } from './receipt-check.ts';
import { AI_TRAINING_PURPOSE } from './study.ts';

export interface StudyRead {
  at: string;
  ok: boolean;
  /** The claims of this read (disclosed ones only). */
  claims?: Record<string, unknown>;
  error?: string;
}

export interface StudyGrant {
  grantId: string;
  origin: string;
  /** The pairwise DID that signed the receipt. */
  did: string;
  /** How the portal presented itself when it asked. */
  requesterMode: RequesterMode;
  /** The purposes the receipt records. */
  purposes: string[];
  /** Whether the parent agreed to AI model training (its own consent). */
  aiTraining: boolean;
  /** The health summary's issuer. */
  issuer: string;
  /** What the portal received: the disclosed claims only. */
  claims: Record<string, unknown>;
  /** The holder's role (`dpv:ParentOfDataSubject`) and the child's coming-of-age date, when the receipt records them. */
  guardian: { role: string; comesOfAgeAt: string | null } | null;
  receipt: string;
  grantExpiresAt: string | null;
  retentionDays: number | null;
  grantedAt: string;
  reads: StudyRead[];
  /** Why access ended (a 4100 refusal, grantRevoked, grantExpired), or null. */
  ended: string | null;
  receiptProof: unknown;
  lastCheck: ReceiptVerdict | null;
}

/** The guardian facts of a receipt's grant (`holder.role`, `holder.dataSubjectComesOfAgeAt`). */
function guardianOf(grant: unknown): StudyGrant['guardian'] {
  const holder = (grant as { holder?: unknown }).holder;
  if (typeof holder !== 'object' || holder === null) return null;
  const { role, dataSubjectComesOfAgeAt } = holder as Record<string, unknown>;
  if (typeof role !== 'string') return null;
  return { role, comesOfAgeAt: typeof dataSubjectComesOfAgeAt === 'string' ? dataSubjectComesOfAgeAt : null };
}

export class StudyGrants {
  private readonly grants = new Map<string, StudyGrant>();

  private key(origin: string, grantId: string): string {
    return `${origin} ${grantId}`;
  }

  get(origin: string, grantId: string): StudyGrant | null {
    return this.grants.get(this.key(origin, grantId)) ?? null;
  }

  all(): StudyGrant[] {
    return [...this.grants.values()];
  }

  add(input: { origin: string; did: string; mode: RequesterMode; answer: VerifiedQueryAnswer; receipt: VerifiedReceipt; receiptJwt: string }): StudyGrant {
    const { receipt } = input;
    const now = new Date().toISOString();
    const grant: StudyGrant = {
      grantId: receipt.grant.id,
      origin: input.origin,
      did: input.did,
      requesterMode: input.mode,
      purposes: [...receipt.grant.purposes],
      aiTraining: receipt.grant.purposes.includes(AI_TRAINING_PURPOSE),
      issuer: input.answer.issuer,
      claims: input.answer.claims,
      guardian: guardianOf(receipt.grant),
      receipt: input.receiptJwt,
      grantExpiresAt: receipt.grant.expiresAt,
      retentionDays: receipt.grant.retentionDays,
      grantedAt: now,
      reads: [{ at: now, ok: true, claims: input.answer.claims }],
      ended: null,
      receiptProof: null,
      lastCheck: null,
    };
    this.grants.set(this.key(input.origin, grant.grantId), grant);
    return grant;
  }

  read(grant: StudyGrant, outcome: Omit<StudyRead, 'at'>): StudyRead {
    const read = { at: new Date().toISOString(), ...outcome };
    grant.reads.push(read);
    if (outcome.ok && outcome.claims) grant.claims = outcome.claims;
    return read;
  }

  end(grant: StudyGrant, reason: string): void {
    grant.ended ??= reason;
  }
}

/** What the page and the API show of a grant (the receipt itself stays with the portal). */
export function describeGrant(g: StudyGrant) {
  return {
    grantId: g.grantId,
    did: g.did,
    requesterMode: g.requesterMode,
    purposes: g.purposes,
    aiTraining: g.aiTraining,
    issuer: g.issuer,
    claims: g.claims,
    guardian: g.guardian,
    grantExpiresAt: g.grantExpiresAt,
    retentionDays: g.retentionDays,
    grantedAt: g.grantedAt,
    reads: g.reads.length,
    lastReadAt: g.reads.at(-1)?.at ?? null,
    ended: g.ended,
    anchored: g.receiptProof !== null,
    lastCheck: g.lastCheck,
  };
}
