import { describe, expect, it } from 'vitest';
import { grantedLabels } from './granted-labels.ts';

describe('granted claim labels', () => {
  it('keeps the labels of released claims only, matching null wildcards, and nothing without display', () => {
    const display = {
      source: 'type-metadata' as const,
      cards: [],
      claims: [
        { path: ['given_name'], labels: [{ label: 'First name' }], sd: 'always' as const },
        { path: ['nationalities', null], labels: [{ locale: 'en', label: 'Nationality' }] },
        { path: ['birthdate'], labels: [{ label: 'Date of birth' }] },
        { path: ['tier'], labels: [], sd: 'never' as const },
      ],
    };
    expect(grantedLabels({ display }, [['given_name'], ['nationalities', 1], ['tier']])).toEqual({
      claimLabels: [
        { path: ['given_name'], labels: [{ label: 'First name' }] },
        { path: ['nationalities', null], labels: [{ locale: 'en', label: 'Nationality' }] },
      ],
    });
    expect(grantedLabels({ display }, [['family_name']])).toEqual({});
    expect(grantedLabels({}, [['given_name']])).toEqual({});
  });
});
