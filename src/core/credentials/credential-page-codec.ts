import { CoreError } from '../errors.ts';
import { fromUtf8, utf8 } from '../encoding.ts';
import { compactDocumentAndClaims, expandClaims, type FieldOf, restoreDocument, SharedValues } from './credential-row-links.ts';
import type { ClaimEntry, CredentialRecord } from './types.ts';

/**
 * The plaintext of one page of credentials (format 2; format 1 is
 * credential-page-codec-v1.ts): a JSON header, a line feed, then the raw bodies of the
 * page's records back to back. The first list after unlock decrypts, decodes and
 * parses every page, and that costs time by the byte and by the object, so a page
 * stores each thing once:
 * - Records that share their keys are rows of values under one list of keys.
 * - Raw bodies (compact JWT / SD-JWT, most of a record's bytes) are not JSON: each row
 *   holds its body's length, the bodies are decoded as one string, and each record's
 *   `raw` is a slice of it (which V8 makes without copying) rather than a string parsed
 *   on its own.
 * - The holder binding, issuer, types, claim paths and the document's `@context`,
 *   which records of one kind from one issuer to one wallet DID share, are in a table
 *   of the page's shared values, each parsed once (and frozen, as the records decoded
 *   from the page share them).
 * - What a record holds twice is stored once (credential-row-links.ts): document
 *   values that repeat the record's own fields are links to them, claim values are
 *   read from the document.
 * A record that does not have the usual shape is a row of its values as they are.
 * Decoding gives back records equal to the ones encoded.
 */
interface PageHeader {
  page: number;
  format: 2;
  shared: unknown[];
  groups: RowGroup[];
  /** Length of the bodies in UTF-16 code units (the sum of the rows' body lengths). */
  bodiesLength: number;
}

interface RowGroup {
  keys: string[];
  rows: unknown[][];
  /** Set when every row is compact: raw, holder, issuer, types, document (with its links) and claims stored as described above. */
  compact?: true;
}

const LINE_FEED = 0x0a;

const SHARED_KEYS = new Set(['holder', 'issuer', 'types']);
const CLAIM_KEYS = ['disclosable', 'path', 'value'].join();
/** A lone surrogate, which UTF-8 cannot carry (such a raw body stays in the JSON, which can). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A body may begin with U+FEFF, which is its content here, not a byte-order mark to drop. */
const bodyDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

export function encodePage(page: number, records: readonly CredentialRecord[]): Uint8Array<ArrayBuffer> {
  const groups = new Map<string, RowGroup>();
  // Each group's bodies in its rows' order: decoding reads them group by group.
  const bodiesOf = new Map<RowGroup, string[]>();
  const shared = new SharedValues();
  for (const record of records) {
    const keys = Object.keys(record);
    const compact = compactable(record);
    const signature = `${compact}\u0000${keys.join('\u0000')}`;
    let group = groups.get(signature);
    if (!group) groups.set(signature, (group = { keys, rows: [], ...(compact ? { compact: true as const } : {}) }));
    if (!compact) {
      group.rows.push(keys.map((key) => record[key as keyof CredentialRecord]));
      continue;
    }
    let bodies = bodiesOf.get(group);
    if (!bodies) bodiesOf.set(group, (bodies = []));
    bodies.push(record.raw);
    const { document, links, claims } = compactDocumentAndClaims(record, shared);
    group.rows.push(
      keys.map((key) => {
        if (key === 'raw') return record.raw.length;
        if (key === 'document') return [document, links];
        if (key === 'claims') return claims;
        const value = record[key as keyof CredentialRecord];
        return SHARED_KEYS.has(key) ? shared.indexOf(value) : value;
      }),
    );
  }
  const bodies = [...groups.values()].map((group) => bodiesOf.get(group)?.join('') ?? '').join('');
  const header: PageHeader = { page, format: 2, shared: shared.values, groups: [...groups.values()], bodiesLength: bodies.length };
  return utf8(`${JSON.stringify(header)}\n${bodies}`);
}

/** The page number and records of a page's bytes (grouped by shape, so not necessarily in the order they were encoded). */
export function decodePage(bytes: Uint8Array): { page: number; records: CredentialRecord[] } {
  const end = bytes.indexOf(LINE_FEED);
  const header = (end < 0 ? null : JSON.parse(fromUtf8(bytes.subarray(0, end)))) as PageHeader | null;
  if (header?.format !== 2 || !Array.isArray(header.groups) || !Array.isArray(header.shared)) {
    throw new CoreError('internal', 'A credential page is not in a format this wallet reads.');
  }
  const bodies = bodyDecoder.decode(bytes.subarray(end + 1));
  if (bodies.length !== header.bodiesLength) throw malformed(header.page);
  const shared = header.shared.map((value) => (typeof value === 'object' && value !== null ? Object.freeze(value) : value));
  const records: CredentialRecord[] = [];
  let offset = 0;
  for (const { keys, rows, compact } of header.groups) {
    const columns = new Map(keys.map((key, i) => [key, i]));
    for (const row of rows) {
      const record: Record<string, unknown> = {};
      // A field of this row as decoded, for the document's links (the document may come before the field).
      const field: FieldOf = (key) => {
        const value = row[columns.get(key) ?? -1];
        return SHARED_KEYS.has(key) ? shared[value as number] : value;
      };
      const restore = (cell: unknown) => restoreDocument(...(cell as [unknown, number[]]), field, shared);
      let document: unknown;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        const value = row[i];
        if (!compact) record[key] = value;
        else if (key === 'raw') record.raw = bodies.slice(offset, (offset += value as number));
        // The claims are read from the document, which may come after them: whichever comes first decodes it.
        else if (key === 'document') record.document = document ??= restore(row[i]);
        else if (key === 'claims') record.claims = expandClaims(value as unknown[], (document ??= restore(row[columns.get('document') as number])), shared);
        else record[key] = SHARED_KEYS.has(key) ? shared[value as number] : value;
      }
      records.push(record as unknown as CredentialRecord);
    }
  }
  if (offset !== bodies.length) throw malformed(header.page);
  return { page: header.page, records };
}

const malformed = (page: number) => new CoreError('internal', `Credential page ${page} does not add up: its bodies and rows disagree.`);

/** The record has the shape the wallet gives every record, so its row can be compact. */
function compactable(record: CredentialRecord): boolean {
  return (
    typeof record.raw === 'string' &&
    !LONE_SURROGATE.test(record.raw) &&
    typeof record.issuer === 'string' &&
    Array.isArray(record.types) &&
    typeof record.holder === 'object' &&
    record.holder !== null &&
    typeof record.document === 'object' &&
    record.document !== null &&
    Array.isArray(record.claims) &&
    record.claims.every(
      (c: unknown) =>
        typeof c === 'object' &&
        c !== null &&
        Object.keys(c).sort().join() === CLAIM_KEYS &&
        Array.isArray((c as ClaimEntry).path) &&
        typeof (c as ClaimEntry).disclosable === 'boolean',
    )
  );
}
