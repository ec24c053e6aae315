import type { GrantEventView, GrantView } from '../../protocol/internal.ts';
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
    verification: { status: 'unverified' } | { status: 'accredited'; credentialId: string; issuer: string };
  };
  holder: { pairwiseDid: string };
  // processing
  purposes: string[];
  credentialTypes: string[];
  claimPaths: string[][];
  expiresAt: string | null;
  usageLimit: number | null;
  // evidence
  requestHash: string;
  presentationHashes: string[];
  receiptId: string | null;
  // events, oldest first
  events: GrantEvent[];
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

export function toGrantView(grant: GrantRecord, now: number): GrantView {
  return {
    id: grant.id,
    kind: grant.kind,
    origin: grant.requester.origin,
    did: grant.holder.pairwiseDid,
    purposes: grant.purposes,
    createdAt: grant.createdAt,
    expiresAt: grant.expiresAt,
    status: grantStatus(grant, now),
    events: grant.events.map((e) => ({ ...e })),
  };
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
  };
}
