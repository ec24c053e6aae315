/**
 * The "Data categories" form's model: the policy as editable drafts (a category's
 * type patterns one per line), and the drafts checked and turned into the
 * `setResearchPolicy` command with the first problem named. Pure, tested without a
 * browser; the background checks the same rules again and has the last word.
 */
import type { ResearchPolicyView } from '../../protocol/internal.ts';

/** As the protocol checks a category name (CategoryName). */
export const CATEGORY_NAME = /^[a-z][a-z0-9-]{0,31}$/;
export const CATEGORIES_MAX = 32;
export const PATTERNS_MAX = 64;
export const PATTERN_LENGTH_MAX = 256;

export interface CategoryDraft {
  /** Stable while editing (test ids, keys): the saved name, or `new-<n>` for an added one. */
  key: string;
  name: string;
  /** One type pattern a line. */
  patterns: string;
  sensitive: boolean;
}

export type PolicyField = 'name' | 'patterns';

export interface SetResearchPolicyCommand {
  command: 'setResearchPolicy';
  categories: { name: string; typePatterns: string[] }[];
  sensitive: string[];
}

export type PolicyCheck =
  | { ok: true; command: SetResearchPolicyCommand }
  | { ok: false; key: string | null; field: PolicyField | null; message: string };

export function draftsFromPolicy(policy: ResearchPolicyView): CategoryDraft[] {
  return policy.categories.map((category) => ({
    key: category.name,
    name: category.name,
    patterns: category.typePatterns.join('\n'),
    sensitive: policy.sensitive.includes(category.name),
  }));
}

/** A new, empty category whose key differs from every other draft's. */
export function newDraft(drafts: readonly CategoryDraft[]): CategoryDraft {
  let n = 1;
  while (drafts.some((draft) => draft.key === `new-${n}`)) n += 1;
  return { key: `new-${n}`, name: '', patterns: '', sensitive: false };
}

/** The lines of a patterns box, trimmed, blank lines and repeats dropped. */
export function patternLines(text: string): string[] {
  return [...new Set(text.split('\n').map((line) => line.trim()).filter((line) => line !== ''))];
}

export function checkPolicyDrafts(drafts: readonly CategoryDraft[]): PolicyCheck {
  const fail = (key: string | null, field: PolicyField | null, message: string): PolicyCheck => ({ ok: false, key, field, message });
  if (drafts.length > CATEGORIES_MAX) return fail(null, null, `At most ${CATEGORIES_MAX} categories.`);
  const seen = new Set<string>();
  const categories: SetResearchPolicyCommand['categories'] = [];
  for (const [index, draft] of drafts.entries()) {
    const name = draft.name.trim();
    const which = name === '' ? `Category ${index + 1}` : `“${name}”`;
    if (name === '') return fail(draft.key, 'name', `${which}: enter a name, e.g. health or finance.`);
    if (!CATEGORY_NAME.test(name)) {
      return fail(draft.key, 'name', `${which}: a name is lower-case letters, digits and -, starting with a letter, at most 32 characters.`);
    }
    if (seen.has(name)) return fail(draft.key, 'name', `${which} is listed twice; give each category its own name.`);
    seen.add(name);
    const typePatterns = patternLines(draft.patterns);
    if (typePatterns.length > PATTERNS_MAX) return fail(draft.key, 'patterns', `${which}: at most ${PATTERNS_MAX} type patterns.`);
    const long = typePatterns.find((pattern) => pattern.length > PATTERN_LENGTH_MAX);
    if (long) return fail(draft.key, 'patterns', `${which}: a type pattern is at most ${PATTERN_LENGTH_MAX} characters (“${long.slice(0, 24)}…” is longer).`);
    categories.push({ name, typePatterns });
  }
  const sensitive = drafts.filter((draft) => draft.sensitive).map((draft) => draft.name.trim());
  return { ok: true, command: { command: 'setResearchPolicy', categories, sensitive } };
}

/**
 * The categories a credential can be put in by hand: the policy's, in its order, then
 * any the credential is still in that the policy no longer defines (so they can be unticked).
 */
export function offeredCategories(policyNames: readonly string[], current: readonly string[]): string[] {
  return [...policyNames, ...current.filter((name) => !policyNames.includes(name))];
}
