/** Flattening a credential's claims to leaf paths, as DCQL claim paths name them. */
import { CredentialError } from '../errors.ts';
import type { ClaimEntry } from '../types.ts';

const MAX_DEPTH = 64;

export type ClaimPath = (string | number)[];

/** A stable string key for a claim path (paths may contain '.', so they are not joined). */
export const pathKey = (path: ClaimPath): string => JSON.stringify(path);

/**
 * Every leaf under `value` (strings, numbers, booleans, null, and empty objects or
 * arrays), with its path from `prefix`; array elements get numeric indices.
 * `disclosed` tells which paths are selectively disclosable; a leaf is disclosable when
 * it or any object or array containing it (below `prefix`) was disclosed.
 */
export function flattenClaims(
  value: unknown,
  prefix: ClaimPath = [],
  disclosed: (path: ClaimPath) => boolean = () => false,
): ClaimEntry[] {
  const out: ClaimEntry[] = [];
  const walk = (node: unknown, path: ClaimPath, inherited: boolean) => {
    if (path.length - prefix.length > MAX_DEPTH) throw new CredentialError('malformed', 'The credential\'s claims are nested too deeply');
    const disclosable = inherited || (path.length > prefix.length && disclosed(path));
    const children: [string | number, unknown][] = Array.isArray(node)
      ? node.map((item, index) => [index, item])
      : typeof node === 'object' && node !== null
        ? Object.entries(node)
        : [];
    if (children.length === 0) {
      // An empty root (no claims at all) has no leaf; an empty object or array below it is one.
      if (path.length === prefix.length && typeof node === 'object' && node !== null) return;
      out.push({ path, value: node, disclosable });
      return;
    }
    for (const [key, child] of children) walk(child, [...path, key], disclosable);
  };
  walk(value, prefix, false);
  return out;
}
