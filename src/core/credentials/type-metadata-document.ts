/**
 * One SD-JWT VC Type Metadata document (draft-ietf-oauth-sd-jwt-vc, "Type Metadata"),
 * read into the record's display shapes, and a chain of them (a type and the types it
 * `extends`) merged into one display. Only what the wallet shows is read: `display`
 * (locale — or `lang` as earlier drafts wrote it —, name, description,
 * rendering.simple colours and logo) and `claims` (path, display labels, sd).
 */
import type { ClaimDisplay, CredentialCardDisplay } from './display.ts';

type Json = Record<string, unknown>;
type Path = ClaimDisplay['path'];

export interface TypeMetadataDocument {
  vct: string | null;
  extends: { uri: string; integrity?: string } | null;
  cards: ParsedCard[];
  claims: ClaimDisplay[];
}

/** A card before its logo is fetched: the logo as published. */
export interface ParsedCard extends Omit<CredentialCardDisplay, 'logo'> {
  logo?: { uri: string; integrity?: string; alt?: string };
}

const MAX_ENTRIES = 32;
const MAX_CLAIMS = 512;
const MAX_PATH = 16;

export const isJson = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.trim().length > 0 ? value.trim().slice(0, max) : undefined;

/** Reads a parsed JSON document; throws a message for what is not Type Metadata at all. */
export function readTypeMetadata(value: unknown): TypeMetadataDocument {
  if (!isJson(value)) throw new Error('it is not a JSON object');
  const parentUri = value.extends;
  if (parentUri !== undefined && typeof parentUri !== 'string') throw new Error('its "extends" is not a string');
  const parentIntegrity = value['extends#integrity'];
  return {
    vct: typeof value.vct === 'string' ? value.vct : null,
    extends: typeof parentUri === 'string' ? { uri: parentUri, ...(typeof parentIntegrity === 'string' ? { integrity: parentIntegrity } : {}) } : null,
    cards: (Array.isArray(value.display) ? value.display : []).filter(isJson).slice(0, MAX_ENTRIES).flatMap(readCard),
    claims: (Array.isArray(value.claims) ? value.claims : []).filter(isJson).slice(0, MAX_CLAIMS).flatMap(readClaim),
  };
}

function readCard(entry: Json): ParsedCard[] {
  const name = text(entry.name, 200);
  if (!name) return [];
  const card: ParsedCard = { name };
  set(card, 'locale', text(entry.locale ?? entry.lang, 35));
  set(card, 'description', text(entry.description, 500));
  const simple = isJson(entry.rendering) && isJson(entry.rendering.simple) ? entry.rendering.simple : {};
  set(card, 'backgroundColor', text(simple.background_color, 64));
  set(card, 'textColor', text(simple.text_color, 64));
  const logo = isJson(simple.logo) ? simple.logo : null;
  const uri = logo && text(logo.uri, 200_000);
  if (logo && uri) {
    card.logo = { uri };
    set(card.logo, 'integrity', text(logo['uri#integrity'], 400));
    set(card.logo, 'alt', text(logo.alt_text, 200));
  }
  return [card];
}

function readClaim(claim: Json): ClaimDisplay[] {
  const path = claim.path;
  if (!Array.isArray(path) || path.length === 0 || path.length > MAX_PATH) return [];
  if (!path.every((p) => typeof p === 'string' || p === null || (typeof p === 'number' && Number.isInteger(p) && p >= 0))) return [];
  const labels = (Array.isArray(claim.display) ? claim.display : []).filter(isJson).slice(0, MAX_ENTRIES).flatMap((d) => {
    // Drafts up to -08 called the label `label`, later ones `name`.
    const label = text(d.label ?? d.name, 200);
    if (!label) return [];
    const entry: ClaimDisplay['labels'][number] = { label };
    set(entry, 'locale', text(d.locale ?? d.lang, 35));
    set(entry, 'description', text(d.description, 500));
    return [entry];
  });
  const sd = claim.sd === 'always' || claim.sd === 'allowed' || claim.sd === 'never' ? claim.sd : undefined;
  if (labels.length === 0 && !sd) return [];
  return [{ path: path as Path, labels, ...(sd ? { sd } : {}) }];
}

/**
 * Merges a chain, the received type first and the type it extends after it: a card
 * per locale and a claim per path from the nearest type that has one. An `sd` of
 * `always` or `never` set by a parent type stays (an extending type may not loosen it).
 */
export function mergeChain(chain: readonly TypeMetadataDocument[]): { cards: ParsedCard[]; claims: ClaimDisplay[] } {
  const cards: ParsedCard[] = [];
  const claims = new Map<string, ClaimDisplay>();
  for (const doc of chain) {
    const locales = new Set(cards.map((c) => c.locale?.toLowerCase() ?? ''));
    cards.push(...doc.cards.filter((c) => !locales.has(c.locale?.toLowerCase() ?? '')));
    for (const claim of doc.claims) {
      const key = JSON.stringify(claim.path);
      const near = claims.get(key);
      if (!near) {
        claims.set(key, claim);
        continue;
      }
      const labels = near.labels.length > 0 ? near.labels : claim.labels;
      const sd = claim.sd === 'always' || claim.sd === 'never' ? claim.sd : (near.sd ?? claim.sd);
      claims.set(key, { path: near.path, labels, ...(sd ? { sd } : {}) });
    }
  }
  return { cards, claims: [...claims.values()] };
}

function set<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
