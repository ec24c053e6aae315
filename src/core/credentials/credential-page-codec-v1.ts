import type { ClaimEntry, CredentialRecord } from './types.ts';

/**
 * The first plaintext form of a page of credentials (format 1, written until format 2
 * in credential-page-codec.ts): read to migrate a wallet's pages, and written only by
 * tests and benches that need a wallet from before. Records that share their keys are
 * stored as rows of values under one list of keys, and their claims as `[path, value,
 * disclosable]` tuples. Decoding gives back records equal to the ones encoded.
 */
export interface CredentialPageV1 {
  page: number;
  groups: RowGroup[];
}

interface RowGroup {
  keys: string[];
  rows: unknown[][];
  /** Set when the `claims` of every row are tuples (each record's claims all had the ClaimEntry shape). */
  claimTuples?: true;
}

export function isCredentialPageV1(entry: unknown): entry is CredentialPageV1 {
  const page = entry as Partial<CredentialPageV1> | null;
  return typeof page?.page === 'number' && Array.isArray(page.groups);
}

type ClaimTuple = [ClaimEntry['path'], ClaimEntry['value'], ClaimEntry['disclosable']];

const CLAIM_KEYS = ['disclosable', 'path', 'value'].join();

export function encodePageV1(page: number, records: readonly CredentialRecord[]): CredentialPageV1 {
  const groups = new Map<string, RowGroup>();
  for (const record of records) {
    const keys = Object.keys(record);
    const tuples = keys.includes('claims') && tupleable(record.claims);
    const signature = `${tuples}\u0000${keys.join('\u0000')}`;
    let group = groups.get(signature);
    if (!group) groups.set(signature, (group = { keys, rows: [], ...(tuples ? { claimTuples: true as const } : {}) }));
    group.rows.push(keys.map((key) => (tuples && key === 'claims' ? record.claims.map(toTuple) : record[key as keyof CredentialRecord])));
  }
  return { page, groups: [...groups.values()] };
}

/** The records of a page (grouped by shape, so not necessarily in the order they were encoded). */
export function decodePageV1(page: CredentialPageV1): CredentialRecord[] {
  const records: CredentialRecord[] = [];
  for (const { keys, rows, claimTuples } of page.groups) {
    for (const row of rows) {
      const record: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        record[key] = claimTuples && key === 'claims' ? (row[i] as ClaimTuple[]).map(fromTuple) : row[i];
      }
      records.push(record as unknown as CredentialRecord);
    }
  }
  return records;
}

function tupleable(claims: unknown): claims is ClaimEntry[] {
  return (
    Array.isArray(claims) &&
    claims.every((c: unknown) => typeof c === 'object' && c !== null && !Array.isArray(c) && Object.keys(c).sort().join() === CLAIM_KEYS)
  );
}

const toTuple = (c: ClaimEntry): ClaimTuple => [c.path, c.value, c.disclosable];
const fromTuple = ([path, value, disclosable]: ClaimTuple): ClaimEntry => ({ path, value, disclosable });
