/**
 * Bounds on what a page may send (DESIGN.md §3.2: "the params of one request are at
 * most 64 KiB"). Checked in the content script before anything is forwarded and again
 * by the background router, so an oversized or absurdly nested value never reaches
 * storage.session, a JSON.stringify or a recursive schema.
 *
 * The walk is iterative (an explicit stack), so a 100,000-deep array cannot overflow
 * the call stack, and it stops at the first bound crossed, so its cost is bounded by
 * the limits, not by the input.
 */

/** Largest request a page may send, measured as UTF-8 JSON. */
export const MAX_REQUEST_BYTES = 64 * 1024;
/** Deepest nesting of arrays and objects (the value itself is level 0). */
export const MAX_REQUEST_DEPTH = 32;
/** Most members of any one array or object. */
export const MAX_REQUEST_MEMBERS = 1024;

/** DCQL queries (OpenID4VP 1.0 §6): far above any real query, far below what hurts. */
export const DCQL_LIMITS = {
  credentials: 16,
  claimsPerCredential: 64,
  claimPathLength: 16,
  claimValues: 64,
  claimSets: 16,
  claimSetSize: 64,
  credentialSets: 16,
  optionsPerSet: 16,
  idsPerOption: 16,
  typeValues: 16,
  typesPerAlternative: 16,
  vctValues: 16,
  trustedAuthorities: 16,
  trustedAuthorityValues: 16,
  /** Any one string in the query (ids, path elements, types, values). */
  stringLength: 1024,
  /** `dcql_query` is level 0; credentials[i].claims[j].path is level 5, a purpose object may nest a little. */
  depth: 8,
} as const;

export interface RequestBounds {
  maxBytes: number;
  maxDepth: number;
  maxMembers: number;
  /** Longest string (UTF-16 code units); no limit unless given. */
  maxStringLength: number;
}

export type BoundsResult = { ok: true; bytes: number } | { ok: false; field: string; message: string };

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | null;
  key: string | number | null;
}

/**
 * Checks that `value` is JSON data (strings, finite or not numbers, booleans, null,
 * arrays, plain objects; `undefined` members as JSON.stringify treats them) within
 * the bounds. `bytes` is the UTF-8 length of `JSON.stringify(value)`. A failure names
 * the field (`root` plus a dot path, e.g. `params.data.claims[3]`) and the bound.
 */
export function checkRequestBounds(value: unknown, options: Partial<RequestBounds> & { root?: string } = {}): BoundsResult {
  const maxBytes = options.maxBytes ?? MAX_REQUEST_BYTES;
  const maxDepth = options.maxDepth ?? MAX_REQUEST_DEPTH;
  const maxMembers = options.maxMembers ?? MAX_REQUEST_MEMBERS;
  const maxStringLength = options.maxStringLength ?? Infinity;
  const root = options.root ?? 'params';
  const fail = (frame: Frame, message: string): BoundsResult => ({ ok: false, field: fieldOf(root, frame), message });
  // The size bound is about the whole value: name its root, not the member that tipped it over.
  const tooLarge = (): BoundsResult => ({ ok: false, field: root || 'value', message: `is too large (over ${formatBytes(maxBytes)} as JSON)` });

  let bytes = 0;
  const stack: Frame[] = [{ value, depth: 0, parent: null, key: null }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const item = frame.value;
    if (typeof item === 'string') {
      if (item.length > maxStringLength) return fail(frame, `is longer than ${maxStringLength} characters`);
      // Every code unit is at least one byte: a string longer than the budget is over it, uncounted.
      if (item.length > maxBytes - bytes) return tooLarge();
      bytes += jsonStringBytes(item);
    } else if (typeof item === 'number') {
      bytes += Number.isFinite(item) ? String(item).length : 4;
    } else if (typeof item === 'boolean') {
      bytes += item ? 4 : 5;
    } else if (item === null || item === undefined) {
      // `undefined` members of objects are skipped below; elsewhere JSON writes null (or nothing at the top).
      bytes += item === null || frame.parent !== null ? 4 : 0;
    } else if (Array.isArray(item)) {
      if (frame.depth >= maxDepth) return fail(frame, `is nested deeper than ${maxDepth} levels`);
      if (item.length > maxMembers) return fail(frame, `has more than ${maxMembers} members`);
      bytes += 2 + Math.max(0, item.length - 1);
      for (let i = item.length - 1; i >= 0; i--) stack.push({ value: item[i], depth: frame.depth + 1, parent: frame, key: i });
    } else if (isPlainObject(item)) {
      if (frame.depth >= maxDepth) return fail(frame, `is nested deeper than ${maxDepth} levels`);
      const keys = Object.keys(item);
      if (keys.length > maxMembers) return fail(frame, `has more than ${maxMembers} members`);
      const record = item as Record<string, unknown>;
      let members = 0;
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        if (record[key] === undefined) continue;
        members++;
        if (key.length > maxBytes - bytes) return tooLarge();
        bytes += jsonStringBytes(key) + 1;
        stack.push({ value: record[key], depth: frame.depth + 1, parent: frame, key });
      }
      bytes += 2 + Math.max(0, members - 1);
    } else {
      return fail(frame, `must be JSON data (found ${describeType(item)})`);
    }
    if (bytes > maxBytes) return tooLarge();
  }
  return { ok: true, bytes };
}

/** `field: message`, the text after "Invalid params: " (or an `error_description`). */
export const describeBoundsFailure = (failure: { field: string; message: string }): string => `${failure.field}: ${failure.message}`;

/** The UTF-8 length of a string once JSON.stringify has quoted and escaped it. */
export function jsonStringBytes(text: string): number {
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0x22 || unit === 0x5c) bytes += 2;
    else if (unit < 0x20) bytes += unit === 0x08 || unit === 0x09 || unit === 0x0a || unit === 0x0c || unit === 0x0d ? 2 : 6;
    else if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) bytes += 6; // a lone surrogate is written as \udxxx
    else bytes += 3;
  }
  return bytes;
}

const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** An object literal's shape, from any realm (the content script's clones come from another world). */
function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null) return true;
  return Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(value) === '[object Object]';
}

function describeType(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  if (tag === 'Object') return 'an object that is not a plain object';
  return `${/^[AEIOU]/.test(tag) ? 'an' : 'a'} ${tag}`;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_KEY_SHOWN = 40;

function fieldOf(root: string, frame: Frame): string {
  const segments: string[] = [];
  for (let at: Frame | null = frame; at && at.key !== null; at = at.parent) {
    const key = at.key;
    if (typeof key === 'number') segments.push(`[${key}]`);
    else if (IDENTIFIER.test(key) && key.length <= MAX_KEY_SHOWN) segments.push(`.${key}`);
    else segments.push(`[${JSON.stringify(key.length > MAX_KEY_SHOWN ? `${key.slice(0, MAX_KEY_SHOWN)}…` : key)}]`);
  }
  const path = segments.reverse().join('');
  if (!root) return path.startsWith('.') ? path.slice(1) : path || 'value';
  return root + path;
}

const formatBytes = (bytes: number) => (bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`);
