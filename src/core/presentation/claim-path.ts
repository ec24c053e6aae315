/**
 * DCQL claims path pointers (OpenID4VP 1.0 §7) over JSON credentials: a string
 * selects an object member, an integer an array index, null every array element.
 */
export type ClaimPathPointer = (string | number | null)[];
/** A pointer to exactly one claim (no wildcards), as shown and selected in the consent window. */
export type ClaimPath = (string | number)[];

export type ClaimValue = string | number | boolean;

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The concrete paths a pointer selects in `document`, wildcards expanded; with
 * `values`, only claims whose value is one of them (strict equality, as DCQL's value
 * matching). Elements a wildcard reaches that do not fit the rest of the path are
 * skipped rather than failing the whole pointer (DCQL matches if any element fits).
 */
export function resolveClaimPaths(
  document: unknown,
  pointer: ClaimPathPointer,
  values?: readonly ClaimValue[] | null,
): ClaimPath[] {
  let selected: { value: unknown; path: ClaimPath }[] = [{ value: document, path: [] }];
  for (const component of pointer) {
    const next: typeof selected = [];
    for (const { value, path } of selected) {
      if (typeof component === 'string') {
        if (isPlainObject(value) && Object.hasOwn(value, component)) next.push({ value: value[component], path: [...path, component] });
      } else if (component === null) {
        if (Array.isArray(value)) value.forEach((item, i) => next.push({ value: item, path: [...path, i] }));
      } else if (Array.isArray(value) && component < value.length) {
        next.push({ value: value[component], path: [...path, component] });
      }
    }
    selected = next;
    if (selected.length === 0) return [];
  }
  return selected
    .filter(({ value }) => value !== null && value !== undefined && (!values || values.some((v) => v === value)))
    .map(({ path }) => path);
}

/** A stable string for a path (for sets and `claim-<path>` test ids). */
export const claimPathKey = (path: ClaimPathPointer): string => JSON.stringify(path);
