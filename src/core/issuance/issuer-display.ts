/**
 * The issuer's and the credential's display from OpenID4VCI issuer metadata (§12.2.4:
 * `display`; a configuration's `credential_metadata.display` and `.claims`, or the
 * same members at the configuration's top level as drafts had them), in the record's
 * display types. A logo is fetched once, image types only, at most 64 KiB, and kept
 * as a data: URI so that showing a credential never fetches anything.
 */
import type { ClaimDisplay, CredentialCardDisplay, CredentialDisplay, DisplayImage, IssuerDisplay } from '../credentials/display.ts';
import type { HttpFetcher } from '../ports.ts';
import { fetchPublic, PUBLIC_FETCH_TIMEOUT_MS } from '../net/public-fetch.ts';
import { isObject, type JsonObject } from './issuance-json.ts';
import type { CredentialConfiguration } from './issuer-metadata.ts';

export const LOGO_MAX_BYTES = 64 * 1024;
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml'];
const MAX_ENTRIES = 16;
/** Distinct logos fetched for one display (one per locale is the norm; more is padding). */
const MAX_LOGOS = 4;

/** Fetches each distinct logo URI once, and no more than MAX_LOGOS of them. */
function logoFetcher(fetcher: HttpFetcher): (logo: unknown) => Promise<DisplayImage | undefined> {
  const seen = new Map<string, Promise<DisplayImage | undefined>>();
  return (logo) => {
    const uri = isObject(logo) && typeof logo.uri === 'string' ? logo.uri : '';
    const key = `${uri}\u0000${isObject(logo) ? String(logo.alt_text ?? '') : ''}`;
    const known = seen.get(key);
    if (known) return known;
    if (seen.size >= MAX_LOGOS) return Promise.resolve(undefined);
    const fetched = fetchLogo(fetcher, logo);
    seen.set(key, fetched);
    return fetched;
  };
}

const text = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.trim().length > 0 ? value.trim().slice(0, max) : undefined;

/** A logo as a data: URI, or undefined when it is missing, too large, not an image or unreachable (a logo never fails an issuance). */
export async function fetchLogo(fetcher: HttpFetcher, logo: unknown): Promise<DisplayImage | undefined> {
  if (!isObject(logo)) return undefined;
  const uri = text(logo.uri, 200_000);
  const alt = text(logo.alt_text, 200);
  if (!uri) return undefined;
  const withAlt = (dataUri: string): DisplayImage => (alt ? { dataUri, alt } : { dataUri });
  if (uri.startsWith('data:')) return imageDataUriOk(uri) ? withAlt(uri) : undefined;
  try {
    const response = await fetchPublic(fetcher, uri, { maxBytes: LOGO_MAX_BYTES, timeoutMs: PUBLIC_FETCH_TIMEOUT_MS }, { headers: { accept: 'image/*' }, bodyEncoding: 'base64' });
    const type = response.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
    if (response.status !== 200 || !IMAGE_TYPES.includes(type) || !/^[A-Za-z0-9+/]*={0,2}$/.test(response.body)) return undefined;
    return withAlt(`data:${type};base64,${response.body}`);
  } catch {
    return undefined;
  }
}

/** A data: URI of an allowed image type within the size cap. */
export function imageDataUriOk(uri: string): boolean {
  const match = /^data:([a-z0-9.+/-]+)(;base64)?,/i.exec(uri);
  return Boolean(match && IMAGE_TYPES.includes((match[1] as string).toLowerCase()) && uri.length <= (LOGO_MAX_BYTES * 4) / 3 + 100);
}

/** The issuer's display entries (named ones only), with their logos fetched. */
export async function issuerDisplayOf(fetcher: HttpFetcher, display: unknown[]): Promise<IssuerDisplay[]> {
  const entries = display.filter(isObject).slice(0, MAX_ENTRIES);
  const logoOf = logoFetcher(fetcher);
  const shown: IssuerDisplay[] = [];
  for (const entry of entries) {
    const name = text(entry.name, 200);
    if (!name) continue;
    const item: IssuerDisplay = { name };
    const locale = text(entry.locale, 35);
    if (locale) item.locale = locale;
    const logo = await logoOf(entry.logo);
    if (logo) item.logo = logo;
    shown.push(item);
  }
  return shown;
}

/** The configuration's cards and claim labels, or undefined when it publishes none. */
export async function credentialDisplayOf(fetcher: HttpFetcher, configuration: CredentialConfiguration): Promise<CredentialDisplay | undefined> {
  const meta = isObject(configuration.raw.credential_metadata) ? configuration.raw.credential_metadata : configuration.raw;
  const cards: CredentialCardDisplay[] = [];
  const logoOf = logoFetcher(fetcher);
  for (const entry of (Array.isArray(meta.display) ? meta.display : []).filter(isObject).slice(0, MAX_ENTRIES)) {
    const name = text(entry.name, 200);
    if (!name) continue;
    const card: CredentialCardDisplay = { name };
    assign(card, 'locale', text(entry.locale, 35));
    assign(card, 'description', text(entry.description, 500));
    assign(card, 'backgroundColor', text(entry.background_color, 64));
    assign(card, 'textColor', text(entry.text_color, 64));
    const logo = await logoOf(entry.logo);
    if (logo) card.logo = logo;
    cards.push(card);
  }
  const claims = claimDisplays(meta.claims);
  if (cards.length === 0 && claims.length === 0) return undefined;
  return { source: 'issuer-metadata', cards, claims };
}

/** The name a configuration is shown by in the offer window (the first card's name, else its id). */
export function configurationName(configuration: CredentialConfiguration | undefined, id: string, locale?: string): string {
  if (!configuration) return id;
  const meta = isObject(configuration.raw.credential_metadata) ? configuration.raw.credential_metadata : configuration.raw;
  const entries = (Array.isArray(meta.display) ? meta.display : []).filter(isObject);
  const match = entries.find((e) => locale && typeof e.locale === 'string' && e.locale.toLowerCase().startsWith(locale.toLowerCase())) ?? entries[0];
  return text(match?.name, 200) ?? id;
}

function claimDisplays(claims: unknown): ClaimDisplay[] {
  if (!Array.isArray(claims)) return [];
  return claims.filter(isObject).slice(0, 256).flatMap((claim: JsonObject) => {
    const path = claim.path;
    if (!Array.isArray(path) || path.length === 0 || !path.every((p) => typeof p === 'string' || (typeof p === 'number' && Number.isInteger(p)) || p === null)) {
      return [];
    }
    const labels = (Array.isArray(claim.display) ? claim.display : []).filter(isObject).slice(0, MAX_ENTRIES).flatMap((d) => {
      const label = text(d.name, 200);
      if (!label) return [];
      const entry: ClaimDisplay['labels'][number] = { label };
      assign(entry, 'locale', text(d.locale, 35));
      assign(entry, 'description', text(d.description, 500));
      return [entry];
    });
    return labels.length > 0 ? [{ path: path as ClaimDisplay['path'], labels }] : [];
  });
}

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
