/** Display helpers: dates in the user's locale, DIDs shortened but still recognisable. */

/** `did:key:z6MkhaXg…4Nq2`: the method stays readable, the middle of the key is elided. */
export function shortDid(did: string): string {
  const match = /^(did:[a-z0-9]+:)(.*)$/.exec(did);
  const [prefix, rest] = match ? [match[1] ?? '', match[2] ?? ''] : ['', did];
  if (rest.length <= 16) return did;
  return `${prefix}${rest.slice(0, 8)}…${rest.slice(-4)}`;
}

function parse(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDate(iso: string): string {
  const date = parse(iso);
  return date ? date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }) : iso;
}

export function formatDateTime(iso: string): string {
  const date = parse(iso);
  return date ? date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : iso;
}
