import { AI_MODEL_TRAINING, purposeTerm } from '../grants/purposes.ts';
import type { AccreditedStudy, ClaimPathPattern } from './accreditation.ts';

/**
 * Where a request goes beyond what its requester is accredited for (DESIGN.md §8):
 * purposes outside the study's approved data uses, claims outside its declared claims.
 * These are warnings shown to the user, claim by claim, not refusals.
 */

/** GA4GH DUO's hierarchy: a broader approved use covers the narrower ones under it. */
const DUO_COVERS: Record<string, readonly string[]> = {
  'duo:0000004': ['duo:0000042', 'duo:0000006', 'duo:0000007', 'duo:0000011', 'duo:0000043'],
  'duo:0000042': ['duo:0000006', 'duo:0000007', 'duo:0000011'],
  'duo:0000006': ['duo:0000007'],
};

/** Whether the study's data uses cover one requested purpose. */
export function purposeCovered(study: AccreditedStudy, term: string): boolean {
  if (study.dataUses.includes(term)) return true;
  // Training AI models is its own purpose: never covered by a research approval.
  if (term === AI_MODEL_TRAINING) return false;
  if (term.startsWith('duo:')) return study.dataUses.some((use) => DUO_COVERS[use]?.includes(term));
  // A general research purpose (DPV) is covered by any approved research use.
  const known = purposeTerm(term);
  return Boolean(known?.research) && study.dataUses.some((use) => use.startsWith('duo:'));
}

export function purposesBeyond(study: AccreditedStudy, purposes: readonly string[]): string[] {
  return purposes.filter((term) => !purposeCovered(study, term));
}

/** Whether a claim path is one the study declared (or lies under one; null matches any array index). */
export function claimCovered(study: AccreditedStudy, path: readonly (string | number | null)[]): boolean {
  return study.claims.some((declared) => covers(declared, path));
}

const covers = (declared: ClaimPathPattern, path: readonly (string | number | null)[]) =>
  // A declared `null` (any element) covers one element; a declared element does not cover a request for any element.
  declared.length <= path.length && declared.every((part, i) => part === null || part === path[i]);

/**
 * The study a request is made for: the one its presentation names, else the only one,
 * else the one whose data uses and claims cover most of the request. A named study the
 * accreditation does not list is the reason the requester is unverified.
 */
export function chooseStudy(
  studies: readonly AccreditedStudy[],
  named: string | null,
  request: { purposes: readonly string[]; claimPaths: readonly (string | number | null)[][] },
): AccreditedStudy | string {
  if (named !== null) {
    return studies.find((s) => s.id === named) ?? `The request names study ${named}, which its accreditation does not list.`;
  }
  if (studies.length === 1) return studies[0]!;
  const score = (study: AccreditedStudy) =>
    request.purposes.filter((p) => purposeCovered(study, p)).length + request.claimPaths.filter((c) => claimCovered(study, c)).length;
  return [...studies].sort((a, b) => score(b) - score(a))[0]!;
}
