import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { categoriesByType, categoriesOf, defaultResearchPolicy, revisedPolicy, sensitiveCategoriesOf, withOverride, type ResearchPolicy } from './data-categories.ts';

const sdJwt = (id: string, vct: string) => ({ id, types: [vct], vct });
const w3c = (id: string, ...types: string[]) => ({ id, types: ['VerifiableCredential', ...types], vct: null });

describe('data categories by type', () => {
  it('puts credentials whose vct or VC type names health in the health category, case-insensitively', () => {
    const policy = defaultResearchPolicy();
    expect(categoriesOf(policy, sdJwt('a', 'urn:tessera:demo:PediatricHealthSummary:1'))).toEqual(['health']);
    expect(categoriesOf(policy, sdJwt('b', 'urn:example:childhealth:1'))).toEqual(['health']);
    expect(categoriesOf(policy, w3c('c', 'ImmunizationRecord'))).toEqual(['health']);
    expect(categoriesOf(policy, sdJwt('d', 'http://hl7.org/fhir/StructureDefinition/Bundle'))).toEqual(['health']);
    expect(categoriesOf(policy, w3c('e', 'ResidentCredential'))).toEqual([]);
    expect(categoriesOf(policy, sdJwt('f', 'urn:eudi:pid:1'))).toEqual([]);
    expect(sensitiveCategoriesOf(policy, sdJwt('a', 'urn:x:HEALTH'))).toEqual(['health']);
  });

  it('follows the user’s choice for a credential over its type, and the patterns again when it is cleared', () => {
    const policy = revisedPolicy(defaultResearchPolicy(), [{ name: 'health', typePatterns: ['Health'] }, { name: 'finance', typePatterns: ['Bank'] }], ['health']);
    const resident = w3c('r', 'ResidentCredential');
    const overridden = withOverride(policy, 'r', ['health', 'finance', 'health']);
    expect(categoriesOf(overridden, resident)).toEqual(['health', 'finance']);
    expect(sensitiveCategoriesOf(overridden, resident)).toEqual(['health']);
    // An empty choice is a choice: this health credential is in no category.
    const none = withOverride(overridden, 'h', []);
    expect(categoriesOf(none, sdJwt('h', 'urn:x:HealthSummary'))).toEqual([]);
    expect(categoriesByType(none, sdJwt('h', 'urn:x:HealthSummary'))).toEqual(['health']);
    const cleared = withOverride(none, 'h', null);
    expect(categoriesOf(cleared, sdJwt('h', 'urn:x:HealthSummary'))).toEqual(['health']);
  });
});

describe('revisedPolicy and withOverride refuse bad input and change nothing', () => {
  const previous = (): ResearchPolicy => withOverride(defaultResearchPolicy(), 'cred-1', ['health']);

  it('refuses a category listed twice', () => {
    const before = previous();
    const copy = structuredClone(before);
    expect(() => revisedPolicy(before, [{ name: 'health', typePatterns: ['Health'] }, { name: 'health', typePatterns: ['Medical'] }], ['health'])).toThrow(
      new DomainError('invalid_input', "categories: 'health' is listed twice"),
    );
    expect(before).toEqual(copy);
  });

  it('refuses a sensitive category that is not defined', () => {
    const before = previous();
    const copy = structuredClone(before);
    expect(() => revisedPolicy(before, [{ name: 'health', typePatterns: ['Health'] }], ['health', 'genetic'])).toThrow(
      new DomainError('invalid_input', "sensitive: 'genetic' is not one of the categories"),
    );
    expect(before).toEqual(copy);
  });

  it('refuses an override with an unknown category', () => {
    const before = previous();
    const copy = structuredClone(before);
    expect(() => withOverride(before, 'cred-2', ['health', 'astrology'])).toThrow(new DomainError('invalid_input', "categories: 'astrology' is not a defined category"));
    expect(before).toEqual(copy);
  });

  it('a valid revision trims and de-duplicates patterns, and prunes overrides of categories that no longer exist', () => {
    const revised = revisedPolicy(previous(), [{ name: 'medical', typePatterns: [' Medical ', 'Medical', ''] }], []);
    expect(revised).toEqual({ categories: [{ name: 'medical', typePatterns: ['Medical'] }], sensitive: [], overrides: { 'cred-1': [] } });
  });
});
