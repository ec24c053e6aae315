import type { DcqlQuery } from 'dcql';
import type { GuardianView } from '../../protocol/internal.ts';
import type { RequestDataAccessParams } from '../../protocol/rpc.ts';
import type { DomainEvent } from '../commit/domain-events.ts';
import type { CredentialRecord } from '../credentials/types.ts';
import { DomainError } from '../errors.ts';
import { parsePurposes, type PurposeTerm } from '../grants/purposes.ts';
import { parseDcqlQuery } from '../presentation/dcql-query.ts';
import { ProtocolError } from '../presentation/errors.ts';
import { leastIdentifyingClaimSet } from '../research/claim-set-choice.ts';
import { guardianOf } from '../research/guardian.ts';
import type { RequesterCheck } from '../research/requester-check.ts';
import { isResearch, type ResearchConsent } from './research-consent.ts';

/**
 * A data-access request as the flow keeps and reads it: the params checked into the
 * request stored with the approval, and the small rules the flow applies to it.
 */
/** A checked data-access request, as kept with its approval. */
export interface DataAccessRequest {
  purposes: string[];
  dcqlQuery: DcqlQuery;
  nonce: string;
  durationDays: number;
  usageLimit: number | null;
  retentionDays: number | null;
  /** The requester's VP JWT (§8), if the request carried one. */
  requesterVp: string | null;
  /** Its check, made before the window opened (absent: the wallet was locked then; made on first view). */
  requester?: RequesterCheck;
}

/** Params → the request kept with the approval; a bad purpose or query is `invalid_input` naming the field. */
export function checkRequest(params: RequestDataAccessParams): DataAccessRequest {
  const purposes = parsePurposes(params.purpose);
  if (!purposes.ok) throw new DomainError('invalid_input', `params.purpose: unknown purpose term${purposes.unknown.length > 1 ? 's' : ''} ${purposes.unknown.join(', ')}`);
  let dcqlQuery: DcqlQuery;
  try {
    dcqlQuery = parseDcqlQuery(params.dcql_query);
  } catch (error) {
    if (error instanceof ProtocolError) throw new DomainError('invalid_input', `params.${error.description}`);
    throw error;
  }
  return {
    purposes: purposes.purposes.map((p) => p.term),
    dcqlQuery,
    nonce: params.nonce,
    durationDays: params.duration_days,
    usageLimit: params.usage_limit ?? null,
    retentionDays: params.retention_days ?? null,
    requesterVp: params.requester ?? null,
  };
}

/** Research requests answer by the least identifying claim set the credential can fill (§8 Minimise). */
export const matchOptions = (consent: ResearchConsent) => (isResearch(consent.purposes) ? { chooseClaimSet: leastIdentifyingClaimSet } : {});

/** Every claim path the query names (what a study's declared claims are compared with). */
export function requestedClaimPaths(query: DcqlQuery): (string | number | null)[][] {
  return query.credentials.flatMap((c) => (c.claims ?? []).flatMap((claim) => ('path' in claim ? [claim.path as (string | number | null)[]] : [])));
}

export function guardianOfRecords(records: readonly (CredentialRecord | undefined)[]): GuardianView | null {
  for (const record of records) {
    const guardian = record ? guardianOf(record.document) : null;
    if (guardian) return guardian;
  }
  return null;
}

export const requesterChecked = (origin: string, check: RequesterCheck): DomainEvent => ({
  type: 'requester.checked',
  origin,
  verified: check.verified,
  did: check.did,
  reason: check.verified ? null : check.reason,
  accreditor: check.verified ? check.accreditorDid : null,
  study: check.verified ? check.study.id : null,
});

export function checkedPurposes(terms: string[]): PurposeTerm[] {
  const parsed = parsePurposes(terms);
  if (!parsed.ok) throw new DomainError('invalid_request', `unknown purposes ${parsed.unknown.join(', ')}`);
  return parsed.purposes;
}

/** Separately consented purposes count only when ticked; something must remain. */
export function consentedPurposes(asked: PurposeTerm[], ticked: readonly string[]): PurposeTerm[] {
  const purposes = asked.filter((p) => !p.separate || ticked.includes(p.term));
  if (purposes.length === 0) throw new DomainError('invalid_input', 'Tick the purpose to consent to it, or decline the request.');
  return purposes;
}
