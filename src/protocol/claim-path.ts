/**
 * Claim paths as SD-JWT VC Type Metadata, OpenID4VCI and DCQL write them: strings for
 * object keys, non-negative integers for array indices, null for every element of an
 * array. Shared by the worker (sd rules) and the pages (labels).
 */
export type ClaimPattern = readonly (string | number | null)[];
export type ClaimPathValue = readonly (string | number)[];

/** A concrete claim path matches a pattern of the same length, null matching any index. */
export function claimPathMatches(pattern: ClaimPattern, path: ClaimPathValue): boolean {
  if (pattern.length !== path.length) return false;
  return pattern.every((step, i) => (step === null ? typeof path[i] === 'number' : step === path[i]));
}

/** A path as people read it: `address.street`, `nationalities[0]`, `items[*]` for null. */
export function claimPathText(path: ClaimPattern): string {
  let text = '';
  for (const step of path) {
    if (step === null) text += '[*]';
    else if (typeof step === 'number') text += `[${step}]`;
    else text += text === '' ? step : `.${step}`;
  }
  return text;
}
