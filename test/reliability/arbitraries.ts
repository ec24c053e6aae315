/**
 * Generators of hostile JSON, shared by every boundary: arbitrary values, very deep
 * nesting, very long strings, prototype keys (own `__proto__` members, as JSON.parse
 * makes them), numbers spelled as strings, and mutations of real strings. Everything
 * generated survives JSON.stringify, as anything a page sends through the runtime must.
 */
import fc from 'fast-check';

/** Deeper than this the sender cannot even serialise it (V8 JSON.stringify overflows near 4,000). */
export const MAX_DEPTH = 2500;

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'then', 'toJSON'] as const;

/** Strings that have upset parsers before. */
const nastyStrings = fc.constantFrom(
  '',
  ' ',
  '0',
  '-0',
  '1e309',
  'NaN',
  'Infinity',
  'null',
  'true',
  '[]',
  '{}',
  '\u0000',
  '\ud800',
  '\u202e',
  '~',
  '.',
  '..',
  '...',
  '~~~',
  'a.b.c',
  'e30.e30.',
  'eyJhbGciOiJub25lIn0.e30.',
  'data:application/vc+jwt,',
  'did:key:z',
  'did:jwk:e30',
  '__proto__',
  'constructor',
);

/** Around the 64 KiB input limits, sometimes far past them. */
const longLength = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1_000, max: 70_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 70_000, max: 1_100_000 }) },
);

/** A string: short arbitrary, a nasty constant, a number as a string, or long (up to 1.1 MB). */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
  { weight: 3, arbitrary: nastyStrings },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double()).map(String) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', '~', '.', '\u00e9', 'A'), longLength).map(([c, n]) => c.repeat(n)) },
);

const anyNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -1, 2 ** 53, 1e308));

/** `[[[…]]]` or `{"a":{"a":…}}` up to MAX_DEPTH, around an optional leaf. */
const depth = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 64 }) }, { weight: 1, arbitrary: fc.integer({ min: 65, max: MAX_DEPTH }) });
export const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(depth, fc.boolean(), fc.constantFrom('a', '__proto__', 'credentials', 'claims'))
  .map(([depth, arrays, key]) => JSON.parse(arrays ? '['.repeat(depth) + ']'.repeat(depth) : `${`{"${key}":`.repeat(depth)}1${'}'.repeat(depth)}`));

/** An object whose keys are prototype names, built the way JSON.parse builds it (own properties). */
export function protoKeyed(value: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .array(fc.tuple(fc.constantFrom(...PROTO_KEYS), value), { minLength: 1, maxLength: 3 })
    .map((entries) => JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`));
}

/**
 * Objects that JSON can carry but `String(x)` / template literals cannot convert (own
 * `toString` / `valueOf` members that are not functions): a parser that formats a
 * wrong value into its error message throws a TypeError instead of refusing.
 */
export const unprintable: fc.Arbitrary<unknown> = fc.constantFrom('{"toString":0}', '{"toString":null,"valueOf":1}', '{"valueOf":{},"toString":"x"}', '[{"toString":0}]').map((text) => JSON.parse(text) as unknown);

const jsonTree: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 3, arbitrary: fc.oneof(anyString, anyNumber, fc.boolean(), fc.constant(null)) },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 5 }) },
    { weight: 2, arbitrary: fc.dictionary(anyString, tie('value'), { maxKeys: 5 }) },
    { weight: 1, arbitrary: protoKeyed(tie('value')) },
    { weight: 1, arbitrary: unprintable },
  ),
})).value;

/** Any JSON value, hostile shapes included (very deep ones at the top only: they are slow to build). */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof({ weight: 9, arbitrary: jsonTree }, { weight: 1, arbitrary: deepValue });

/** What arrives after the runtime's JSON serialisation (no undefined members, no -0). */
export const overTheWire = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');

/** `value` most of the time, sometimes something else entirely. */
export function usually<T>(value: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> {
  return fc.oneof({ weight: 10, arbitrary: value }, { weight: 2, arbitrary: anyJson }, { weight: 2, arbitrary: unprintable });
}

/** An object with the given members (each possibly missing or wrong), sometimes with extras. */
export function shaped(members: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const record = fc.record(
    Object.fromEntries(Object.entries(members).map(([k, arb]) => [k, fc.option(usually(arb), { nil: undefined, freq: 8 })])),
  );
  const extras = fc.oneof({ weight: 6, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: protoKeyed(anyJson) }, { weight: 1, arbitrary: fc.dictionary(anyString, anyJson, { maxKeys: 2 }) });
  // Spreading keeps an own `__proto__` member an own member.
  return fc.tuple(record, extras).map(([base, extra]) => ({ ...Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)), ...extra }));
}

/** A string edited by one to three single-character changes, cuts or insertions. */
export function mutated(source: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.constantFrom('flip', 'delete', 'insert', 'truncate', 'duplicate'), fc.constantFrom('A', '_', '-', '.', '~', '=', '/', '+', '0', 'z', '\u00e9'));
  return fc.tuple(source, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([text, edits]) => {
    let out = text;
    for (const [position, kind, char] of edits) {
      const at = out.length === 0 ? 0 : position % out.length;
      if (kind === 'flip') out = out.slice(0, at) + (out[at] === char ? 'B' : char) + out.slice(at + 1);
      else if (kind === 'delete') out = out.slice(0, at) + out.slice(at + 1);
      else if (kind === 'insert') out = out.slice(0, at) + char + out.slice(at);
      else if (kind === 'truncate') out = out.slice(0, at);
      else out = out.slice(0, at) + out.slice(at, at + 40) + out.slice(at);
    }
    return out;
  });
}

/** A base64url JSON segment, as JWT headers and payloads are. */
export const b64uJson = (value: unknown): string => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url');

/** Compact JWT-looking strings with arbitrary header and payload (and a junk signature). */
export const fakeJwt: fc.Arbitrary<string> = fc
  .tuple(
    shaped({ alg: fc.constantFrom('EdDSA', 'ES256', 'none', 'HS256', 'RS256'), kid: anyString, typ: fc.constantFrom('JWT', 'vc+jwt', 'dc+sd-jwt', 'statuslist+jwt', 'oauth-authz-req+jwt') }),
    anyJson,
    fc.string({ maxLength: 90, unit: fc.constantFrom(...'ABCDEFabcdef0123456789-_') }),
    fc.array(fc.oneof(anyString, anyJson.map(b64uJson)), { maxLength: 3 }),
  )
  .map(([header, payload, signature, disclosures]) => {
    const jwt = `${b64uJson(header)}.${b64uJson(payload)}.${signature}`;
    return disclosures.length === 0 ? jwt : `${jwt}~${disclosures.join('~')}~`;
  });
