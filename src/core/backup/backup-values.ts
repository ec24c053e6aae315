import { toBase64Url } from '../encoding.ts';
import { fromBase64Url } from '../ledger/base64url.ts';

/**
 * Stored values (structured clones: sealed records with their IV and ciphertext bytes,
 * the settings) as JSON and back, exactly: bytes become `{"$b": base64url}`, an
 * undefined member `{"$u": 1}`, and an object that has a `$` key of its own is wrapped
 * as `{"$o": …}` so it cannot pass for one of those. Anything else a store could hold
 * (a Date, a Map, a BigInt, NaN) is refused by name rather than silently changed: a
 * backup that cannot be restored byte for byte is not made.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function encodeStoredValue(value: unknown, where = 'value'): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (value === undefined) return { $u: 1 };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${where}: the number ${value} cannot be backed up`);
    return value;
  }
  if (value instanceof Uint8Array) return { $b: toBase64Url(value) };
  if (Array.isArray(value)) return value.map((item, i) => encodeStoredValue(item, `${where}[${i}]`));
  if (typeof value === 'object' && isPlainObject(value)) {
    const out: Record<string, JsonValue> = {};
    let escaped = false;
    for (const [key, member] of Object.entries(value)) {
      if (key.startsWith('$')) escaped = true;
      defineMember(out, key, encodeStoredValue(member, `${where}.${key}`));
    }
    return escaped ? { $o: out } : out;
  }
  const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  throw new TypeError(`${where}: a ${kind} cannot be backed up`);
}

export function decodeStoredValue(json: unknown, where = 'value'): unknown {
  if (json === null || typeof json === 'boolean' || typeof json === 'string' || typeof json === 'number') return json;
  if (Array.isArray(json)) return json.map((item, i) => decodeStoredValue(item, `${where}[${i}]`));
  if (typeof json !== 'object') throw new TypeError(`${where}: not a JSON value`);
  const entries = Object.entries(json as Record<string, unknown>);
  const [first] = entries;
  if (entries.length === 1 && first) {
    const [tag, inner] = first;
    if (tag === '$b') {
      if (typeof inner !== 'string') throw new TypeError(`${where}: bytes that are not base64url`);
      return fromBase64Url(inner);
    }
    if (tag === '$u') return undefined;
    if (tag === '$o') {
      if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw new TypeError(`${where}: a wrapped object that is not an object`);
      return decodeMembers(inner as Record<string, unknown>, where);
    }
  }
  for (const [key] of entries) if (key.startsWith('$')) throw new TypeError(`${where}: an unknown tag ${key}`);
  return decodeMembers(json as Record<string, unknown>, where);
}

function decodeMembers(json: Record<string, unknown>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(json)) {
    defineMember(out, key, decodeStoredValue(member, `${where}.${key}`));
  }
  return out;
}

/** An own data property, so a "__proto__" member stays a member instead of setting the prototype. */
function defineMember(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
