/**
 * Claim labels and credential cards in the reader's language, from the display the
 * issuer published (SD-JWT VC Type Metadata or OpenID4VCI metadata). Pure, so that
 * every page picks the same label for the same claim; the pages pass
 * `navigator.languages`.
 */
import { claimPathMatches, claimPathText, type ClaimPathValue } from '../../protocol/claim-path.ts';
import type { CredentialDisplayView } from '../../protocol/holder-views.ts';

export interface ShownLabel {
  label: string;
  description?: string;
}

/** The languages the browser prefers (pages only; tests pass their own). */
export function browserLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language].filter(Boolean);
}

/**
 * The entry for the first preferred language that has one: an exact tag (`de-CH`),
 * then the same language (`de`, `de-DE`), then an entry without a locale, then the first.
 */
export function pickLocalized<T extends { locale?: string }>(entries: readonly T[], languages: readonly string[]): T | undefined {
  const tag = (entry: T) => entry.locale?.toLowerCase() ?? '';
  const base = (value: string) => value.toLowerCase().split('-')[0] ?? '';
  for (const language of languages) {
    const exact = entries.find((entry) => tag(entry) === language.toLowerCase());
    if (exact) return exact;
    const sameLanguage = entries.find((entry) => entry.locale && base(entry.locale) === base(language));
    if (sameLanguage) return sameLanguage;
  }
  return entries.find((entry) => !entry.locale) ?? entries[0];
}

/** The label of a claim, an exact path before a pattern with null (every element); null when none is published. */
export function claimLabelFor(display: Pick<CredentialDisplayView, 'claims'> | undefined, path: ClaimPathValue, languages: readonly string[]): ShownLabel | null {
  if (!display) return null;
  const matching = display.claims.filter((claim) => claim.labels.length > 0 && claimPathMatches(claim.path, path));
  const best = matching.find((claim) => !claim.path.includes(null)) ?? matching[0];
  const picked = best && pickLocalized(best.labels, languages);
  if (!picked) return null;
  return picked.description ? { label: picked.label, description: picked.description } : { label: picked.label };
}

/** The raw path as shown on hover and where no label is published: `address.street`, `nationalities[0]`. */
export const rawClaimPath = (path: ClaimPathValue): string => claimPathText(path);

/** The credential's card in the reader's language, if the issuer published any. */
export function cardFor(display: CredentialDisplayView | undefined, languages: readonly string[]): CredentialDisplayView['cards'][number] | undefined {
  return display ? pickLocalized(display.cards, languages) : undefined;
}
