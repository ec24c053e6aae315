/**
 * Checks of a trust-list entry (a trusted issuer, an accreditation body) before it is
 * sent, so the message is immediate and names what is wrong. The background checks
 * the same rules (the protocol's DidString and label limits) and has the last word.
 */

/** As the protocol checks it (DidString). */
export const DID_PATTERN = /^did:[a-z0-9]+:\S{1,2000}$/;
export const LABEL_MAX = 80;

/** The entry's problem in words for `noun` ("issuer", "accreditation body"), or null when it may be sent. */
export function trustEntryProblem(did: string, label: string, noun: string): string | null {
  if (did === '') return `Enter the ${noun}’s DID.`;
  if (!DID_PATTERN.test(did)) return 'That is not a DID: it must look like did:method:identifier, without spaces.';
  if (label === '') return `Enter a label, e.g. the ${noun}’s name.`;
  if (label.length > LABEL_MAX) return `The label must be at most ${LABEL_MAX} characters.`;
  return null;
}
