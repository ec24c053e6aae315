/**
 * What the approval window may show before its first look-up answers: the worker puts
 * it in the window's URL, the only thing a page has without a round trip, so a login
 * request is on screen as soon as the page's script runs (the look-up then fills in
 * the rest, e.g. the site's DID). Only a login's header has a preview; it is given only
 * while the wallet is unlocked. The URL comes from the worker alone: no site can open
 * or address an extension page (none is web-accessible).
 */
export interface IdentityPreview {
  kind: 'identity';
  origin: string;
  /** ISO 8601, as the look-up gives it. */
  createdAt: string;
}

const KIND = 'preview';
const ORIGIN = 'origin';
const CREATED_AT = 'at';

/** The preview as query parameters to append to the window's URL (`&…`). */
export function previewQuery(preview: IdentityPreview): string {
  const params = new URLSearchParams({ [KIND]: preview.kind, [ORIGIN]: preview.origin, [CREATED_AT]: preview.createdAt });
  return `&${params.toString()}`;
}

/** The preview in a window's query string, or null if there is none or it is not well-formed. */
export function readPreview(search: URLSearchParams): IdentityPreview | null {
  const origin = search.get(ORIGIN);
  const createdAt = search.get(CREATED_AT);
  if (search.get(KIND) !== 'identity' || origin === null || createdAt === null) return null;
  if (!isWebOrigin(origin) || !isIsoDate(createdAt)) return null;
  return { kind: 'identity', origin, createdAt };
}

function isWebOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

function isIsoDate(value: string): boolean {
  const time = Date.parse(value);
  return Number.isFinite(time) && new Date(time).toISOString() === value;
}
