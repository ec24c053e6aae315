import type { DcqlCredentialQuery } from 'dcql';
import type { ClaimPathPointer, ClaimValue } from './claim-path.ts';

type ClaimsQuery = NonNullable<DcqlCredentialQuery['claims']>[number];

/**
 * For one credential query, a function giving each credential a short string that is
 * equal for two credentials whenever the dcql library must answer them alike: for
 * each queried path, what the library's claim checks can see (the shapes along the
 * path, whether the claim is defined, which of the query's `values` it equals). It
 * mirrors those checks: valibot `object` accepts any non-null object and tests
 * `key in input`; `array` needs a real array. The library then runs once per distinct
 * fingerprint instead of once per credential (it builds its validators per
 * credential, ~35 µs each).
 */
export function claimsFingerprinter(queries: readonly ClaimsQuery[] | undefined): (claims: Record<string, unknown>) => string {
  const paths = (queries ?? []).flatMap((query) =>
    'path' in query ? [{ path: query.path as ClaimPathPointer, values: query.values ?? null, simple: query.path.every((c) => typeof c === 'string') }] : [],
  );
  return (claims) => {
    let out = '';
    for (const { path, values, simple } of paths) out += `${simple ? walkKeys(claims, path as string[], values) : walk(claims, path, 0, values)};`;
    return out;
  };
}

/** The common case, a path of object keys only, without recursion or nesting marks. */
function walkKeys(root: unknown, path: readonly string[], values: readonly ClaimValue[] | null): string {
  let value = root;
  for (let i = 0; i < path.length; i++) {
    if (typeof value !== 'object' || value === null) return `${i}${shape(value)}`;
    const key = path[i]!;
    if (!(key in value)) return `${i}-`;
    value = (value as Record<string, unknown>)[key];
  }
  return leaf(value, values);
}

function walk(value: unknown, path: ClaimPathPointer, index: number, values: readonly ClaimValue[] | null): string {
  if (index === path.length) return leaf(value, values);
  const component = path[index];
  if (typeof component === 'string') {
    if (typeof value !== 'object' || value === null) return shape(value);
    return component in value ? `{${walk((value as Record<string, unknown>)[component], path, index + 1, values)}}` : '-';
  }
  if (!Array.isArray(value)) return shape(value);
  if (component === null) {
    let out = '[';
    for (const item of value) out += `${walk(item, path, index + 1, values)},`;
    return `${out}]`;
  }
  return component !== undefined && component < value.length ? `@${walk(value[component], path, index + 1, values)}` : '@u';
}

function leaf(value: unknown, values: readonly ClaimValue[] | null): string {
  if (value === undefined) return 'u';
  if (value === null) return 'n';
  if (!values) return 'p';
  const index = values.indexOf(value as ClaimValue);
  return index < 0 ? 'x' : `v${index}`;
}

/** What the library can tell apart about a value a path cannot descend into. */
const shape = (value: unknown): string => (value === null ? 'n' : Array.isArray(value) ? 'a' : typeof value === 'object' ? 'o' : typeof value);
