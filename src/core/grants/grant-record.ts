import type { GrantEventView, GrantView, PurposeView, RequesterView, VerifiedRequesterView } from '../../protocol/internal.ts';

/** What the grant keeps of a verified requester's accreditation (as the consent window showed it). */
export type AccreditedRequesterFacts = Omit<VerifiedRequesterView, 'verified' | 'origin'>;
import { purposeTerm } from './purposes.ts';
import type { SiteGrantView } from '../../protocol/rpc.ts';

/**
 * A grant, shaped on ISO/IEC TS 27560 consent records (header, processing, parties,
 * events). It names claim paths and credential types, never claim values.
 */
export interface GrantRecord {
  // header
  id: string;
  version: 1;
  createdAt: string;
  kind: 'identity' | 'data';
  // parties
  requester: {
    origin: string;
    /** DID or client_id, when the requester proved one. */
    id: string | null;
    displayName: string;
    verification:
      | { status: 'unverified'; reason?: string }
      | { status: 'accredited'; credentialId: string; issuer: string; facts?: AccreditedRequesterFacts };
  };
  /** `role`: e.g. `dpv:ParentOfDataSubject` when the holder acts as guardian (§8). */
  holder: { pairwiseDid: string; role?: string; comesOfAgeAt?: string | null };
  // processing
  purposes: string[];
  credentialTypes: string[];
  claimPaths: (string | number)[][];
  expiresAt: string | null;
  usageLimit: number | null;
  // evidence
  requestHash: string;
  presentationHashes: string[];
  receiptId: string | null;
  /** The consent receipt JWT (data grants). */
  receipt?: string | null;
  /** Data grants: exactly what was approved, presented again (freshly signed) on each access. */
  access?: DataAccessTerms | null;
  // events, oldest first
  events: GrantEvent[];
}

/** The approved scope of a data grant. Claim paths and types, never values. */
export interface DataAccessTerms {
  /** The DCQL query the grant answers (as approved), replayed on each access. */
  dcqlQuery: unknown;
  credentials: GrantedCredential[];
  usageCount: number;
  retentionDays: number | null;
}

export interface GrantedCredential {
  queryId: string;
  credentialId: string;
  format: string;
  types: string[];
  /** The claims that leave: the chosen disclosures (SD-JWT) or every claim (a JWT VC leaves whole). */
  claimPaths: (string | number)[][];
  /** SD-JWT: what to disclose again on each access. */
  disclose: (string | number | null)[][];
  /** The issuer's labels of the released claims as the holder saw them when granting (display metadata); absent when none. */
  claimLabels?: { path: (string | number | null)[]; labels: { locale?: string; label: string; description?: string }[] }[];
}

export interface GrantEvent {
  type: GrantEventView['type'];
  at: string;
  actor: GrantEventView['actor'];
}

export type GrantStatus = 'active' | 'revoked' | 'expired';

export function grantStatus(grant: GrantRecord, now: number): GrantStatus {
  if (grant.events.some((e) => e.type === 'withdrawn')) return 'revoked';
  if (grant.events.some((e) => e.type === 'expired')) return 'expired';
  if (grant.expiresAt !== null && Date.parse(grant.expiresAt) <= now) return 'expired';
  return 'active';
}

/** Accesses left under a data grant's usage limit (null: no limit). */
export function usesLeft(grant: GrantRecord): number | null {
  return grant.usageLimit === null ? null : Math.max(0, grant.usageLimit - (grant.access?.usageCount ?? 0));
}

/** When the requester last used the grant (an identity login or a data access), or null. */
export function lastAccessAt(grant: GrantRecord): string | null {
  return grant.events.filter((e) => e.type === 'accessed').at(-1)?.at ?? null;
}

export function toGrantView(grant: GrantRecord, now: number): GrantView {
  return {
    id: grant.id,
    kind: grant.kind,
    origin: grant.requester.origin,
    did: grant.holder.pairwiseDid,
    purposes: grant.purposes,
    purposeViews: grant.purposes.map(purposeView),
    createdAt: grant.createdAt,
    expiresAt: grant.expiresAt,
    status: grantStatus(grant, now),
    credentials: (grant.access?.credentials ?? []).map(({ credentialId, format, types, claimPaths, claimLabels }) => ({
      credentialId,
      format,
      types,
      claimPaths,
      ...(claimLabels?.length ? { claimLabels } : {}),
    })),
    usageLimit: grant.usageLimit,
    usageCount: grant.access?.usageCount ?? 0,
    retentionDays: grant.access?.retentionDays ?? null,
    lastAccessAt: lastAccessAt(grant),
    requester: requesterView(grant),
    guardian: grant.holder.role ? { role: grant.holder.role, comesOfAgeAt: grant.holder.comesOfAgeAt ?? null } : null,
    hasReceipt: Boolean(grant.receipt),
    events: grant.events.map((e) => ({ ...e })),
  };
}

export function purposeView(term: string): PurposeView {
  const known = purposeTerm(term);
  return known
    ? { term, label: known.label, description: known.description, separate: known.separate }
    : { term, label: term, description: term, separate: false };
}

function requesterView(grant: GrantRecord): RequesterView {
  const { requester } = grant;
  const { verification } = requester;
  if (verification.status === 'accredited') {
    return {
      verified: true,
      origin: requester.origin,
      ...(verification.facts ?? {
        name: requester.displayName,
        did: requester.id ?? '',
        accreditor: verification.issuer,
        accreditorDid: verification.issuer,
        affiliationAndRole: null,
        researcherStatus: null,
        study: null,
        studyId: null,
        ethicsApproval: null,
        dataUses: [],
        dataCategories: [],
        claims: [],
        validUntil: null,
      }),
    };
  }
  return { verified: false, origin: requester.origin, reason: verification.reason ?? 'The requester did not prove who it is.', did: requester.id };
}

/** What a site may see of its own grant. */
export function toSiteGrantView(grant: GrantRecord, now: number): SiteGrantView {
  return {
    id: grant.id,
    kind: grant.kind,
    did: grant.holder.pairwiseDid,
    purposes: grant.purposes,
    createdAt: grant.createdAt,
    expiresAt: grant.expiresAt,
    status: grantStatus(grant, now),
    credentials: (grant.access?.credentials ?? []).map(({ format, types, claimPaths }) => ({ format, types, claimPaths })),
    usageLimit: grant.usageLimit,
    usageCount: grant.access?.usageCount ?? 0,
    retentionDays: grant.access?.retentionDays ?? null,
    receipt: grant.receipt ?? null,
    receiptProof: null,
  };
}
