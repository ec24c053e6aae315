/**
 * What a research institution applies to be accredited for (the accreditation's
 * `credentialSubject` without its `id`), and the form checks the body makes before it
 * signs anything: each failure names the field.
 */

export interface AccreditedStudy {
  id: string;
  title: string;
  ethicsApproval: string;
  /** GA4GH DUO terms (`duo:0000006`, …), and `tessera:AIModelTraining` only when that use is approved. */
  dataUses: string[];
  /** e.g. ["health"] */
  dataCategories: string[];
  /** The DCQL claim paths the study may ask for, e.g. [["age_band"], ["region"]]. */
  claims: (string | number)[][];
  /** ISO date-time. */
  validUntil: string;
}

export interface AccreditationSubject {
  name: string;
  /** The exact web origins the institution uses, e.g. ["http://127.0.0.1:8086"]. */
  origins: string[];
  affiliationAndRole: string;
  researcherStatus: string;
  studies: AccreditedStudy[];
}

const MAX_TEXT = 200;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT) throw new Error(`${field} must be a text of 1 to ${MAX_TEXT} characters`);
  return value;
}

function list<T>(value: unknown, field: string, item: (v: unknown, at: string) => T, { min = 1, max = 32 } = {}): T[] {
  if (!Array.isArray(value) || value.length < min || value.length > max) throw new Error(`${field} must be a list of ${min} to ${max} entries`);
  return value.map((v, i) => item(v, `${field}[${i}]`));
}

function origin(value: unknown, field: string): string {
  const raw = text(value, field);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${field} (${raw}) is not a web origin`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== raw) throw new Error(`${field} (${raw}) is not a web origin such as https://research.example`);
  return raw;
}

/** A compact IRI such as `duo:0000006` or `tessera:AIModelTraining`. */
function term(value: unknown, field: string): string {
  const raw = text(value, field);
  if (!/^[a-z][a-z0-9]*:[A-Za-z0-9_.-]+$/.test(raw)) throw new Error(`${field} (${raw}) is not a compact IRI such as duo:0000006`);
  return raw;
}

function claimPath(value: unknown, field: string): (string | number)[] {
  return list(value, field, (segment, at) => {
    if (typeof segment === 'string' && segment !== '' && segment.length <= 64) return segment;
    if (typeof segment === 'number' && Number.isSafeInteger(segment) && segment >= 0) return segment;
    throw new Error(`${at} must be a claim name or an array index`);
  }, { max: 8 });
}

function study(value: unknown, field: string): AccreditedStudy {
  if (!isRecord(value)) throw new Error(`${field} must be an object`);
  const validUntil = text(value.validUntil, `${field}.validUntil`);
  if (Number.isNaN(Date.parse(validUntil))) throw new Error(`${field}.validUntil (${validUntil}) is not a date-time`);
  return {
    id: text(value.id, `${field}.id`),
    title: text(value.title, `${field}.title`),
    ethicsApproval: text(value.ethicsApproval, `${field}.ethicsApproval`),
    dataUses: list(value.dataUses, `${field}.dataUses`, term),
    dataCategories: list(value.dataCategories, `${field}.dataCategories`, text),
    claims: list(value.claims, `${field}.claims`, claimPath, { max: 64 }),
    validUntil,
  };
}

/** The application as the body accredits it (a copy, members in the contract's order); throws naming the first bad field. */
export function accreditationSubjectFrom(input: unknown): AccreditationSubject {
  if (!isRecord(input)) throw new Error('the accreditation must be an object');
  return {
    name: text(input.name, 'name'),
    origins: list(input.origins, 'origins', origin),
    affiliationAndRole: text(input.affiliationAndRole, 'affiliationAndRole'),
    researcherStatus: text(input.researcherStatus, 'researcherStatus'),
    studies: list(input.studies, 'studies', study),
  };
}
