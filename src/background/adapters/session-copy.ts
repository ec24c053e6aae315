/**
 * A value as `storage.session` gives it back: Chrome stores a copy converted to its own
 * value type and back (seen in Chromium 156), which sorts object keys, drops entries
 * that are undefined, functions or not finite numbers, turns those into null inside
 * arrays, and keeps of a Date, typed array, Map or Set only an empty object. The
 * session store's copies (session-store.ts) are taken this way, so a read answered from
 * a copy equals one answered by the browser, and mutating either never reaches the other.
 */
export function sessionCopy(value: unknown): unknown {
  return convert(value);
}

/** The converted value, or undefined for what Chrome drops. */
function convert(value: unknown): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return value.map((item) => convert(item) ?? null);
  if (isOpaque(value)) return {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = convert((value as Record<string, unknown>)[key]);
    if (item !== undefined) out[key] = item;
  }
  return out;
}

function isOpaque(value: object): boolean {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date || value instanceof Map || value instanceof Set;
}
