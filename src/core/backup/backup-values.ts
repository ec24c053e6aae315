/**
 * Stored values (structured clones: sealed records with their IV and ciphertext bytes,
 * the settings) as JSON and back, exactly. Bytes go to a blob beside the JSON (the
 * JWE base64url-encodes the whole file once; bytes as base64 inside it would be
 * encoded twice) and are written `{"$b": [offset, length]}`; an undefined member is
 * `{"$u": 1}`, and an object that has a `$` key of its own is wrapped as `{"$o": …}` so
 * it cannot pass for one of those. Anything else a store could hold (a Date, a Map, a
 * BigInt, NaN) is refused by name rather than silently changed: a backup that cannot
 * be restored byte for byte is not made.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Collects the bytes of the values encoded, in order. */
export class ByteSink {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  add(bytes: Uint8Array): [number, number] {
    const at = this.length;
    this.chunks.push(bytes);
    this.length += bytes.length;
    return [at, bytes.length];
  }

  bytes(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

export function encodeStoredValue(value: unknown, sink: ByteSink, where = 'value'): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (value === undefined) return { $u: 1 };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${where}: the number ${value} cannot be backed up`);
    return value;
  }
  if (value instanceof Uint8Array) return { $b: sink.add(value) };
  if (Array.isArray(value)) return value.map((item, i) => encodeStoredValue(item, sink, `${where}[${i}]`));
  if (typeof value === 'object' && isPlainObject(value)) {
    const out: Record<string, JsonValue> = {};
    let escaped = false;
    for (const [key, member] of Object.entries(value)) {
      if (key.startsWith('$')) escaped = true;
      defineMember(out, key, encodeStoredValue(member, sink, `${where}.${key}`));
    }
    return escaped ? { $o: out } : out;
  }
  const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  throw new TypeError(`${where}: a ${kind} cannot be backed up`);
}

export function decodeStoredValue(json: unknown, blob: Uint8Array, where = 'value'): unknown {
  if (json === null || typeof json === 'boolean' || typeof json === 'string' || typeof json === 'number') return json;
  if (Array.isArray(json)) return json.map((item, i) => decodeStoredValue(item, blob, `${where}[${i}]`));
  if (typeof json !== 'object') throw new TypeError(`${where}: not a JSON value`);
  const entries = Object.entries(json as Record<string, unknown>);
  const [first] = entries;
  if (entries.length === 1 && first) {
    const [tag, inner] = first;
    if (tag === '$b') return bytesAt(inner, blob, where);
    if (tag === '$u') return undefined;
    if (tag === '$o') {
      if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw new TypeError(`${where}: a wrapped object that is not an object`);
      return decodeMembers(inner as Record<string, unknown>, blob, where);
    }
  }
  for (const [key] of entries) if (key.startsWith('$')) throw new TypeError(`${where}: an unknown tag ${key}`);
  return decodeMembers(json as Record<string, unknown>, blob, where);
}

function bytesAt(range: unknown, blob: Uint8Array, where: string): Uint8Array<ArrayBuffer> {
  const [at, length] = Array.isArray(range) ? (range as unknown[]) : [];
  if (!Number.isSafeInteger(at) || !Number.isSafeInteger(length) || (at as number) < 0 || (length as number) < 0 || (at as number) + (length as number) > blob.length) {
    throw new TypeError(`${where}: bytes outside the file`);
  }
  return blob.slice(at as number, (at as number) + (length as number));
}

function decodeMembers(json: Record<string, unknown>, blob: Uint8Array, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(json)) defineMember(out, key, decodeStoredValue(member, blob, `${where}.${key}`));
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
