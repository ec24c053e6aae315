import type { ClaimEntry, CredentialRecord } from './types.ts';

/**
 * The plaintext form of one page of credentials. Records that share their keys (every
 * record the wallet makes) are stored as rows of values under one list of keys, and
 * their claims as `[path, value, disclosable]` tuples: the names would otherwise be
 * repeated in every record and claim, and decrypting and parsing the first list after
 * unlock costs time by the byte. Decoding gives back records equal to the ones encoded.
 */
export interface CredentialPage {
  page: number;
  groups: RowGroup[];
}

interface RowGroup {
  keys: string[];
  rows: unknown[][];
  /** Set when the `claims` of every row are tuples (each record's claims all had the ClaimEntry shape). */
  claimTuples?: true;
}

type ClaimTuple = [ClaimEntry['path'], ClaimEntry['value'], ClaimEntry['disclosable']];

const CLAIM_KEYS = ['disclosable', 'path', 'value'].join();

export function isCredentialPage(entry: unknown): entry is CredentialPage {
  const page = entry as Partial<CredentialPage> | null;
  return typeof page?.page === 'number' && Array.isArray(page.groups);
}

export function encodePage(page: number, records: readonly CredentialRecord[]): CredentialPage {
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
export function decodePage(page: CredentialPage): CredentialRecord[] {
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
