import { CoreError } from '../errors.ts';
import type { ClaimEntry, CredentialRecord } from './types.ts';

/**
 * What a compact row of a credential page (credential-page-codec.ts) leaves out
 * because the record holds it already: a record's fields are read from its document
 * (issuer, types, subject and dates), and its claims are the document's leaves, so the
 * same strings would otherwise be stored, parsed and kept in memory two or three times.
 * - A document value equal to one of the record's own fields (`SOURCES`) is stored as
 *   null plus a link `path index, source`, and put back from the field when decoded.
 *   The document's `@context`, the same for every credential of its kind, is linked to
 *   the page's shared values instead.
 * - A claim is `path index, flags[, value]`, its value left out when the document
 *   holds it at the claim's path.
 * Paths are in the page's shared values too.
 */

/** The record's fields a document may repeat, by their link code (`holder` stands for its DID). */
const SOURCES = ['issuer', 'holder', 'types', 'validUntil', 'validFrom', 'issuedAt', 'vct'] as const;
/** A field of the record being decoded, by name (fields are decoded in the row's order, the document may come first). */
export type FieldOf = (key: (typeof SOURCES)[number]) => unknown;

const sourceValue = (field: FieldOf, code: number): unknown => {
  const key = SOURCES[code] as (typeof SOURCES)[number];
  return key === 'holder' ? (field(key) as { did?: unknown } | undefined)?.did : field(key);
};
/** Links deeper than this are not looked for (documents are small; this bounds the walk). */
const MAX_DEPTH = 16;

/** Claim flags: the claim is disclosable; its value is in the row (else read from the document). */
const DISCLOSABLE = 1;
const INLINE = 2;

type Path = (string | number)[];

/** Each shared value of a page once, by its JSON. */
export class SharedValues {
  readonly values: unknown[] = [];
  private readonly index = new Map<string, number>();
  indexOf(value: unknown): number {
    const key = JSON.stringify(value);
    let at = this.index.get(key);
    if (at === undefined) {
      at = this.values.push(value) - 1;
      this.index.set(key, at);
    }
    return at;
  }
}

/** The document as a compact row stores it, its links, and the claims against it. */
export function compactDocumentAndClaims(record: CredentialRecord, shared: SharedValues): { document: unknown; links: number[]; claims: unknown[] } {
  // What the document will be when decoded: JSON drops or changes what it cannot hold.
  const document = JSON.parse(JSON.stringify(record.document)) as Record<string, unknown>;
  const claims: unknown[] = [];
  for (const { path, value, disclosable } of record.claims) {
    const flags = disclosable ? DISCLOSABLE : 0;
    if (isPlainValue(value) && valueAt(document, path) === value) claims.push(shared.indexOf(path), flags);
    else claims.push(shared.indexOf(path), flags | INLINE, value);
  }
  const field: FieldOf = (key) => record[key];
  const sources = SOURCES.map((_, code) => sourceValue(field, code));
  const sameArray = (a: unknown, b: unknown[]) => Array.isArray(a) && a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
  const links: number[] = [];
  const link = (node: unknown, path: Path, put: (value: null) => void) => {
    if (path.length === 1 && path[0] === '@context' && node !== null) {
      links.push(shared.indexOf(path), SOURCES.length + shared.indexOf(node));
      return put(null);
    }
    const source = typeof node === 'string' ? sources.indexOf(node) : Array.isArray(node) ? sources.findIndex((value) => sameArray(value, node)) : -1;
    if (source >= 0) {
      links.push(shared.indexOf(path), source);
      return put(null);
    }
    if (typeof node !== 'object' || node === null || path.length >= MAX_DEPTH) return;
    for (const [key, child] of Object.entries(node)) {
      const at = Array.isArray(node) ? Number(key) : key;
      link(child, [...path, at], () => ((node as Record<string | number, unknown>)[at] = null));
    }
  };
  link(document, [], () => undefined);
  return { document, links, claims };
}

/** The record's document with its links put back, from the record's fields and the page's shared values. */
export function restoreDocument(stored: unknown, links: readonly number[], field: FieldOf, shared: readonly unknown[]): unknown {
  for (let i = 0; i < links.length; i += 2) {
    const path = shared[links[i] as number] as Path | undefined;
    const code = links[i + 1] as number;
    let parent = stored;
    for (let depth = 0; path && depth < path.length - 1; depth++) parent = (parent as Record<string | number, unknown> | null)?.[path[depth] as string | number];
    const last = path?.at(-1);
    if (last === undefined || typeof parent !== 'object' || parent === null || (parent as Record<string | number, unknown>)[last] !== null) {
      throw new CoreError('internal', 'A credential page links a document to a value the document does not have.');
    }
    (parent as Record<string | number, unknown>)[last] = code < SOURCES.length ? sourceValue(field, code) : shared[code - SOURCES.length];
  }
  return stored;
}

export function expandClaims(compact: readonly unknown[], document: unknown, shared: readonly unknown[]): ClaimEntry[] {
  const claims: ClaimEntry[] = [];
  for (let i = 0; i < compact.length; ) {
    const path = shared[compact[i] as number] as ClaimEntry['path'];
    const flags = compact[i + 1] as number;
    const inline = (flags & INLINE) !== 0;
    claims.push({ path, value: inline ? compact[i + 2] : valueAt(document, path), disclosable: (flags & DISCLOSABLE) !== 0 });
    i += inline ? 3 : 2;
  }
  return claims;
}

/** A value JSON keeps as it is (so one read from the decoded document is the same value). */
const isPlainValue = (value: unknown): boolean =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

function valueAt(document: unknown, path: readonly (string | number)[]): unknown {
  let node = document;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}
