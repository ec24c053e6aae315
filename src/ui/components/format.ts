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

/*
 * One formatter each, made once: `toLocaleString` builds a new ICU formatter on every
 * call, which made a page of a few hundred dates take most of a second to render.
 */
const DATE = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const COUNT = new Intl.NumberFormat('en');

export function formatDate(iso: string): string {
  const date = parse(iso);
  return date ? DATE.format(date) : iso;
}

export function formatDateTime(iso: string): string {
  const date = parse(iso);
  return date ? DATE_TIME.format(date) : iso;
}

/** 10000 → "10,000". */
export function formatCount(count: number): string {
  return COUNT.format(count);
}

const DAY = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** A calendar date (`YYYY-MM-DD`, e.g. a birthday) as that same day wherever the user is. */
export function formatDay(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const parsed = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? date : DAY.format(parsed);
}

/**
 * An instant as its UTC calendar day: for dates set by people as a day (a study's
 * `validUntil` of 2027-12-31T00:00:00Z is "31 Dec 2027", not the 30th west of Greenwich).
 */
export function formatUtcDay(iso: string): string {
  const date = parse(iso);
  return date ? DAY.format(date) : iso;
}
