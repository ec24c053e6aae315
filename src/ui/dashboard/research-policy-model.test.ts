import { describe, expect, it } from 'vitest';
import { checkPolicyDrafts, draftsFromPolicy, newDraft, offeredCategories, patternLines, type CategoryDraft } from './research-policy-model.ts';

const policy = {
  categories: [
    { name: 'health', typePatterns: ['Health', 'Medical'] },
    { name: 'finance', typePatterns: [] },
  ],
  sensitive: ['health'],
};

const draft = (overrides: Partial<CategoryDraft>): CategoryDraft => ({ key: 'k', name: 'health', patterns: 'Health', sensitive: false, ...overrides });

describe('drafts', () => {
  it('shows each category with its patterns a line and whether it is sensitive', () => {
    expect(draftsFromPolicy(policy)).toEqual([
      { key: 'health', name: 'health', patterns: 'Health\nMedical', sensitive: true },
      { key: 'finance', name: 'finance', patterns: '', sensitive: false },
    ]);
  });

  it('round-trips: the drafts of a policy save as that policy', () => {
    const check = checkPolicyDrafts(draftsFromPolicy(policy));
    expect(check).toEqual({ ok: true, command: { command: 'setResearchPolicy', ...policy } });
  });

  it('a new category gets a key no other draft has', () => {
    const first = newDraft(draftsFromPolicy(policy));
    expect(first).toEqual({ key: 'new-1', name: '', patterns: '', sensitive: false });
    expect(newDraft([first]).key).toBe('new-2');
  });

  it('patterns: trimmed, blank lines and repeats dropped, order kept', () => {
    expect(patternLines('  Health \n\nMedical\nHealth\n ')).toEqual(['Health', 'Medical']);
  });
});

describe('checkPolicyDrafts', () => {
  it('names the category and field of the first problem', () => {
    expect(checkPolicyDrafts([draft({ key: 'a', name: ' ' })])).toMatchObject({ ok: false, key: 'a', field: 'name', message: expect.stringMatching(/^Category 1: enter a name/) });
    expect(checkPolicyDrafts([draft({ key: 'a', name: 'Health' })])).toMatchObject({ ok: false, key: 'a', field: 'name', message: expect.stringMatching(/^“Health”: a name is lower-case/) });
    expect(checkPolicyDrafts([draft({ name: '1x' })])).toMatchObject({ ok: false, field: 'name' });
    expect(checkPolicyDrafts([draft({ name: 'a'.repeat(33) })])).toMatchObject({ ok: false, field: 'name' });
  });

  it('refuses two categories of one name', () => {
    const check = checkPolicyDrafts([draft({ key: 'a' }), draft({ key: 'b', name: ' health ' })]);
    expect(check).toEqual({ ok: false, key: 'b', field: 'name', message: '“health” is listed twice; give each category its own name.' });
  });

  it('limits patterns by count and length, as the wallet does', () => {
    const many = Array.from({ length: 65 }, (_, i) => `T${i}`).join('\n');
    expect(checkPolicyDrafts([draft({ patterns: many })])).toMatchObject({ ok: false, field: 'patterns', message: '“health”: at most 64 type patterns.' });
    expect(checkPolicyDrafts([draft({ patterns: 'x'.repeat(257) })])).toMatchObject({ ok: false, field: 'patterns' });
    expect(checkPolicyDrafts([draft({ patterns: 'x'.repeat(256) })]).ok).toBe(true);
  });

  it('limits the number of categories', () => {
    const drafts = Array.from({ length: 33 }, (_, i) => draft({ key: `k${i}`, name: `c${i}` }));
    expect(checkPolicyDrafts(drafts)).toEqual({ ok: false, key: null, field: null, message: 'At most 32 categories.' });
  });

  it('sends trimmed names, sensitive ones by name; no categories at all is a policy too', () => {
    const check = checkPolicyDrafts([draft({ name: ' health ', sensitive: true }), draft({ key: 'f', name: 'finance', patterns: 'Bank\nIBAN' })]);
    expect(check).toEqual({
      ok: true,
      command: { command: 'setResearchPolicy', categories: [{ name: 'health', typePatterns: ['Health'] }, { name: 'finance', typePatterns: ['Bank', 'IBAN'] }], sensitive: ['health'] },
    });
    expect(checkPolicyDrafts([])).toEqual({ ok: true, command: { command: 'setResearchPolicy', categories: [], sensitive: [] } });
  });
});

describe('offeredCategories', () => {
  it('the policy’s categories in order, then those the credential is in that the policy dropped', () => {
    expect(offeredCategories(['health', 'finance'], ['finance'])).toEqual(['health', 'finance']);
    expect(offeredCategories(['health'], ['legacy', 'health'])).toEqual(['health', 'legacy']);
    expect(offeredCategories([], [])).toEqual([]);
  });
});
