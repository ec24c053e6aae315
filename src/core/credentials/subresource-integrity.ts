/**
 * W3C Subresource Integrity as SD-JWT VC uses it (`vct#integrity`, `extends#integrity`,
 * `uri#integrity`): space-separated `sha256-`, `sha384-` or `sha512-` digests in base64
 * of the resource's bytes. Only the strongest algorithm given counts (SRI §3.3.3), and
 * any of its digests may match. Unknown algorithms are ignored; a value with none we
 * know is refused rather than taken as "no integrity".
 */
import { toBase64 } from '../encoding.ts';

const ALGORITHMS = [
  { prefix: 'sha256', name: 'SHA-256', rank: 1 },
  { prefix: 'sha384', name: 'SHA-384', rank: 2 },
  { prefix: 'sha512', name: 'SHA-512', rank: 3 },
] as const;

const TOKEN = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+)(\?.*)?$/;

/** Why bytes fail an integrity value, or null when they match. */
export async function integrityMismatch(integrity: string, bytes: Uint8Array<ArrayBuffer>): Promise<string | null> {
  const tokens = integrity.trim().split(/\s+/).flatMap((token) => {
    const match = TOKEN.exec(token);
    return match ? [{ algorithm: ALGORITHMS.find((a) => a.prefix === match[1])!, digest: normalise(match[2] as string) }] : [];
  });
  if (tokens.length === 0) return `the integrity value "${integrity.slice(0, 80)}" names no sha256, sha384 or sha512 digest`;
  const strongest = Math.max(...tokens.map((t) => t.algorithm.rank));
  const wanted = tokens.filter((t) => t.algorithm.rank === strongest);
  const algorithm = wanted[0]!.algorithm;
  const actual = toBase64(new Uint8Array(await crypto.subtle.digest(algorithm.name, bytes))).replace(/=+$/, '');
  return wanted.some((t) => t.digest === actual) ? null : `its ${algorithm.prefix} digest is ${algorithm.prefix}-${actual}, not the one its integrity value names`;
}

/** Some issuers write base64url (as the draft's own examples do); compare as base64 without padding. */
const normalise = (digest: string) => digest.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
