/**
 * SD-JWT VC Type Metadata for a received credential: when its `vct` is a URL the wallet
 * may fetch (https, or http on loopback, by the URL policy), the metadata is fetched
 * from that URL, checked against `vct#integrity` when the credential carries one,
 * and the types it `extends` (each against its `extends#integrity`) are followed to a
 * bounded depth. The result is a display kept with the record, logos as data: URIs.
 *
 * Nothing here blocks receiving: any failure is an outcome with a reason the holder
 * sees, and the credential is shown by its raw claim paths. Metadata that fails its
 * integrity is never used, so a substituted document cannot speak for the issuer.
 * Called only once the holder has decided (or for a connected site), per DESIGN §5.
 */
import { claimPathMatches, claimPathText } from '../../protocol/claim-path.ts';
import { fromBase64 } from '../encoding.ts';
import { fetchLogo } from '../issuance/issuer-display.ts';
import { fetchPublic, PUBLIC_FETCH_TIMEOUT_MS } from '../net/public-fetch.ts';
import type { FetchLimits, HttpFetcher } from '../ports.ts';
import type { CredentialCardDisplay, CredentialDisplay, DisplayImage } from './display.ts';
import { integrityMismatch } from './subresource-integrity.ts';
import { mergeChain, readTypeMetadata, type TypeMetadataDocument } from './type-metadata-document.ts';
import type { ClaimEntry, VerifiedCredential } from './types.ts';

export const TYPE_METADATA_MAX_BYTES = 256 * 1024;
/** The received type and at most this many types it extends. */
export const TYPE_METADATA_MAX_EXTENDS = 4;
/** Logos fetched per credential (distinct URIs; later cards go without): a document cannot make the wallet fetch without end. */
export const TYPE_METADATA_MAX_LOGOS = 4;
/** The whole chain's fetches within this time, so that accepting a credential never waits long for its looks. */
export const TYPE_METADATA_BUDGET_MS = 12_000;

export type TypeMetadataOutcome =
  /** Not an SD-JWT VC, or its `vct` is not a URL (a URN names a type without metadata to fetch). */
  | { kind: 'none' }
  | { kind: 'used'; display: CredentialDisplay; warnings: string[] }
  | { kind: 'not-used'; reason: string };

type Credential = Pick<VerifiedCredential, 'format' | 'vct' | 'document' | 'claims'>;

/** The credential's type metadata, or why it is not used. Never throws for what a network or an issuer does. */
export async function typeMetadataFor(fetcher: HttpFetcher, credential: Credential, { budgetMs = TYPE_METADATA_BUDGET_MS } = {}): Promise<TypeMetadataOutcome> {
  const vct = credential.vct;
  if (credential.format !== 'dc+sd-jwt' || !vct || !/^https?:\/\//i.test(vct)) return { kind: 'none' };
  const integrity = credential.document['vct#integrity'];
  if (integrity !== undefined && typeof integrity !== 'string') return { kind: 'not-used', reason: 'the credential\'s vct#integrity is not a string' };
  const chain: TypeMetadataDocument[] = [];
  const seen = new Set<string>();
  let next: { uri: string; integrity?: string } | null = { uri: vct, ...(integrity ? { integrity } : {}) };
  const deadline = Date.now() + budgetMs;
  try {
    while (next) {
      if (seen.has(next.uri)) throw new Error(`the type ${next.uri} extends itself (a cycle)`);
      if (chain.length > TYPE_METADATA_MAX_EXTENDS) throw new Error(`the chain of types it extends is longer than ${TYPE_METADATA_MAX_EXTENDS}`);
      seen.add(next.uri);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`its types took longer than ${budgetMs / 1000} s to fetch`);
      const doc = await fetchDocument(fetcher, next.uri, next.integrity, { maxBytes: TYPE_METADATA_MAX_BYTES, timeoutMs: Math.min(PUBLIC_FETCH_TIMEOUT_MS, left) });
      chain.push(doc);
      next = doc.extends;
    }
  } catch (error) {
    return { kind: 'not-used', reason: `Type metadata not used: ${error instanceof Error ? error.message : String(error)}` };
  }
  const merged = mergeChain(chain);
  const cards: CredentialCardDisplay[] = [];
  // Each logo URI fetched once, however many cards name it.
  const logos = new Map<string, Promise<DisplayImage | undefined>>();
  const keyOf = (logo: { uri: string; integrity?: string }) => `${logo.uri}\u0000${logo.integrity ?? ''}`;
  // Started together: the logos' deadlines run side by side, not one after another.
  for (const { logo } of merged.cards) {
    if (logo && !logos.has(keyOf(logo)) && logos.size < TYPE_METADATA_MAX_LOGOS) logos.set(keyOf(logo), checkedLogo(fetcher, logo));
  }
  for (const { logo, ...card } of merged.cards) {
    const image = logo ? await logos.get(keyOf(logo)) : undefined;
    cards.push(image ? { ...card, logo: image } : card);
  }
  const display: CredentialDisplay = { source: 'type-metadata', vct, cards, claims: merged.claims, ...(integrity ? { integrity } : {}) };
  return { kind: 'used', display, warnings: sdWarnings(display, credential.claims) };
}

async function fetchDocument(fetcher: HttpFetcher, uri: string, integrity: string | undefined, limits: FetchLimits): Promise<TypeMetadataDocument> {
  let body: string;
  try {
    const response = await fetchPublic(fetcher, uri, limits, { headers: { accept: 'application/json' }, bodyEncoding: 'base64' });
    if (response.status !== 200) throw new Error(`${uri} answered HTTP ${response.status}`);
    body = response.body;
  } catch (error) {
    // Policy, size and deadline errors say what happened; name the URL they happened to.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(message.includes(uri) ? message : `${uri}: ${message}`);
  }
  const bytes = fromBase64(body);
  if (integrity) {
    const mismatch = await integrityMismatch(integrity, bytes);
    if (mismatch) throw new Error(`${uri} does not match its integrity: ${mismatch}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new Error(`${uri} is not JSON`);
  }
  let doc: TypeMetadataDocument;
  try {
    doc = readTypeMetadata(json);
  } catch (error) {
    throw new Error(`${uri}: ${(error as Error).message}`);
  }
  if (doc.vct !== null && doc.vct !== uri) throw new Error(`${uri} describes another type (${doc.vct.slice(0, 200)})`);
  return doc;
}

/** The logo as a data: URI, checked against its `uri#integrity` when given; left out (never fetched twice) otherwise. */
async function checkedLogo(fetcher: HttpFetcher, logo: { uri: string; integrity?: string; alt?: string }) {
  const image = await fetchLogo(fetcher, { uri: logo.uri, ...(logo.alt ? { alt_text: logo.alt } : {}) });
  if (!image || !logo.integrity) return image;
  const base64 = image.dataUri.slice(image.dataUri.indexOf(',') + 1);
  if (!/;base64,/.test(image.dataUri)) return undefined;
  return (await integrityMismatch(logo.integrity, fromBase64(base64))) ? undefined : image;
}

/** Claims that arrived against the type's `sd` rule: `always` ones not disclosable, `never` ones disclosable. */
export function sdWarnings(display: CredentialDisplay, claims: readonly ClaimEntry[]): string[] {
  const warnings: string[] = [];
  for (const rule of display.claims) {
    if (rule.sd !== 'always' && rule.sd !== 'never') continue;
    for (const claim of claims) {
      if (!claimPathMatches(rule.path, claim.path)) continue;
      if (rule.sd === 'always' && !claim.disclosable) warnings.push(`${claimPathText(claim.path)} should be selectively disclosable by its type, but arrived always shown`);
      if (rule.sd === 'never' && claim.disclosable) warnings.push(`${claimPathText(claim.path)} should never be selectively disclosable by its type, but arrived as a disclosure`);
    }
  }
  return warnings.slice(0, 16);
}
