import { DomainError } from '../errors.ts';

/**
 * Data categories (DESIGN.md §8): a credential is in a category when one of the
 * category's type patterns occurs in its `vct` or one of its VC types (case-insensitive),
 * unless the user set its categories by hand. Sensitive categories are never shared
 * with a requester the wallet could not verify.
 */
export interface DataCategoryRule {
  name: string;
  typePatterns: string[];
}

export interface ResearchPolicy {
  categories: DataCategoryRule[];
  /** Category names never shared with an unverified requester. */
  sensitive: string[];
  /** Credential id → the categories the user set by hand. */
  overrides: Record<string, string[]>;
}

/** Health by default: the names DESIGN §8 lists, and the HL7 FHIR / EHDS patient-summary types. */
export const DEFAULT_HEALTH_PATTERNS = ['Health', 'Medical', 'Patient', 'Immunization', 'Clinical', 'Diagnosis', 'PatientSummary', 'hl7.org/fhir', 'EHDS'];

export function defaultResearchPolicy(): ResearchPolicy {
  return { categories: [{ name: 'health', typePatterns: [...DEFAULT_HEALTH_PATTERNS] }], sensitive: ['health'], overrides: {} };
}

/** What a credential is known as for categorising. */
export interface CategorisedCredential {
  id: string;
  types: readonly string[];
  vct: string | null;
}

/** The categories by the policy's patterns alone. */
export function categoriesByType(policy: ResearchPolicy, credential: CategorisedCredential): string[] {
  const names = [...credential.types, ...(credential.vct ? [credential.vct] : [])].map((n) => n.toLowerCase());
  return policy.categories
    .filter((rule) => rule.typePatterns.some((pattern) => names.some((name) => name.includes(pattern.toLowerCase()))))
    .map((rule) => rule.name);
}

/** The categories the credential is in: the user's choice if made, else by type. */
export function categoriesOf(policy: ResearchPolicy, credential: CategorisedCredential): string[] {
  return policy.overrides[credential.id] ?? categoriesByType(policy, credential);
}

/** The sensitive categories among a credential's. */
export function sensitiveCategoriesOf(policy: ResearchPolicy, credential: CategorisedCredential): string[] {
  return categoriesOf(policy, credential).filter((name) => policy.sensitive.includes(name));
}

/**
 * A new policy from the settings page: names unique, every sensitive category defined,
 * patterns de-duplicated; overrides kept but pruned of categories that no longer exist.
 */
export function revisedPolicy(previous: ResearchPolicy, categories: DataCategoryRule[], sensitive: string[]): ResearchPolicy {
  const names = categories.map((c) => c.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new DomainError('invalid_input', `categories: '${duplicate}' is listed twice`);
  const undefinedSensitive = sensitive.find((name) => !names.includes(name));
  if (undefinedSensitive) throw new DomainError('invalid_input', `sensitive: '${undefinedSensitive}' is not one of the categories`);
  const overrides = Object.fromEntries(Object.entries(previous.overrides).map(([id, set]) => [id, set.filter((name) => names.includes(name))]));
  return {
    categories: categories.map((c) => ({ name: c.name, typePatterns: [...new Set(c.typePatterns.map((p) => p.trim()).filter(Boolean))] })),
    sensitive: [...new Set(sensitive)],
    overrides,
  };
}

/** The policy with one credential's categories set by hand (null: follow the patterns again). */
export function withOverride(policy: ResearchPolicy, credentialId: string, categories: string[] | null): ResearchPolicy {
  const overrides = { ...policy.overrides };
  if (categories === null) {
    delete overrides[credentialId];
  } else {
    const unknown = categories.find((name) => !policy.categories.some((c) => c.name === name));
    if (unknown) throw new DomainError('invalid_input', `categories: '${unknown}' is not a defined category`);
    overrides[credentialId] = [...new Set(categories)];
  }
  return { ...policy, overrides };
}
