import { isObject, type JsonObject } from '../credentials/formats/jws.ts';

/** The VC type of an accreditation credential (DESIGN.md §8, shaped on GA4GH Passport visas). */
export const ACCREDITATION_TYPE = 'ResearchAccreditation';

export type ClaimPathPattern = (string | number | null)[];

/** One study an accreditation covers. */
export interface AccreditedStudy {
  id: string;
  title: string;
  ethicsApproval: string | null;
  /** Approved data uses: GA4GH DUO terms (and `tessera:AIModelTraining` when that is approved). */
  dataUses: string[];
  dataCategories: string[];
  /** DCQL claim paths the study may ask for. */
  claims: ClaimPathPattern[];
  /** Epoch ms, or null. */
  validUntil: number | null;
}

/** What an accreditation says of its subject, the requester. */
export interface Accreditation {
  name: string;
  /** The web origins the requester uses. */
  origins: string[];
  affiliationAndRole: string | null;
  researcherStatus: string | null;
  studies: AccreditedStudy[];
}

const MAX_ITEMS = 64;

/**
 * The accreditation facts from a verified credential's subject, or the reason they
 * cannot be read (a malformed accreditation is an unverified requester, not a crash).
 */
export function readAccreditation(subject: JsonObject): { ok: true; accreditation: Accreditation } | { ok: false; reason: string } {
  const name = text(subject.name);
  if (!name) return fail('names no institution (credentialSubject.name)');
  const origins = list(subject.origins);
  if (!origins || origins.length === 0 || !origins.every((o) => typeof o === 'string')) return fail('lists no web origins (credentialSubject.origins)');
  const studies = list(subject.studies);
  if (!studies || studies.length === 0) return fail('lists no studies (credentialSubject.studies)');
  const read: AccreditedStudy[] = [];
  for (const [i, study] of studies.entries()) {
    const parsed = readStudy(study);
    if (typeof parsed === 'string') return fail(`study ${i + 1}: ${parsed}`);
    read.push(parsed);
  }
  return {
    ok: true,
    accreditation: {
      name,
      origins: origins as string[],
      affiliationAndRole: text(subject.affiliationAndRole),
      researcherStatus: text(subject.researcherStatus),
      studies: read,
    },
  };
}

function readStudy(value: unknown): AccreditedStudy | string {
  if (!isObject(value)) return 'is not an object';
  const id = text(value.id);
  if (!id) return 'has no id';
  const dataUses = strings(value.dataUses);
  if (!dataUses) return 'has no approved data uses (dataUses)';
  const claims = list(value.claims);
  if (!claims || !claims.every(isClaimPath)) return 'lists no claim paths it may ask for (claims)';
  let validUntil: number | null = null;
  if (value.validUntil !== undefined) {
    validUntil = typeof value.validUntil === 'string' ? Date.parse(value.validUntil) : Number.NaN;
    if (!Number.isFinite(validUntil)) return 'validUntil is not a date';
  }
  return {
    id,
    title: text(value.title) ?? id,
    ethicsApproval: text(value.ethicsApproval),
    dataUses,
    dataCategories: strings(value.dataCategories) ?? [],
    claims: claims as ClaimPathPattern[],
    validUntil,
  };
}

const fail = (why: string) => ({ ok: false as const, reason: `The accreditation ${why}.` });
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' && value.length <= 512 ? value.trim() : null);
const list = (value: unknown): unknown[] | null => (Array.isArray(value) && value.length <= MAX_ITEMS ? value : null);
const strings = (value: unknown): string[] | null => {
  const items = list(value);
  return items && items.every((s) => typeof s === 'string' && s.length <= 256) ? (items as string[]) : null;
};
const isClaimPath = (value: unknown): boolean =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.length <= 16 &&
  value.every((part) => part === null || (typeof part === 'string' && part.length <= 256) || (Number.isInteger(part) && (part as number) >= 0));
