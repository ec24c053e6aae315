import { describe, expect, it } from 'vitest';
import type { AccreditedStudy } from './accreditation.ts';
import { claimCovered, purposeCovered, purposesBeyond } from './accreditation-scope.ts';

const study = (dataUses: string[], claims: AccreditedStudy['claims'] = []): AccreditedStudy => ({
  id: 'S-1',
  title: 'A study',
  ethicsApproval: null,
  dataUses,
  dataCategories: ['health'],
  claims,
  validUntil: null,
});

describe('purposeCovered: GA4GH DUO hierarchy', () => {
  it('general research use (DUO:0000042) covers health/medical/biomedical and disease-specific research', () => {
    const general = study(['duo:0000042']);
    expect(purposeCovered(general, 'duo:0000006')).toBe(true);
    expect(purposeCovered(general, 'duo:0000007')).toBe(true);
  });

  it('health/medical/biomedical (DUO:0000006) covers disease-specific research but not general research use', () => {
    const health = study(['duo:0000006']);
    expect(purposeCovered(health, 'duo:0000007')).toBe(true);
    expect(purposeCovered(health, 'duo:0000042')).toBe(false);
  });

  it('disease-specific (DUO:0000007) covers only itself', () => {
    const disease = study(['duo:0000007']);
    expect(purposeCovered(disease, 'duo:0000007')).toBe(true);
    expect(purposeCovered(disease, 'duo:0000006')).toBe(false);
    expect(purposeCovered(disease, 'duo:0000042')).toBe(false);
  });

  it('a DPV research purpose is covered by any approved DUO use', () => {
    for (const use of ['duo:0000007', 'duo:0000006', 'duo:0000042']) {
      expect(purposeCovered(study([use]), 'dpv:ScientificResearch')).toBe(true);
      expect(purposeCovered(study([use]), 'dpv:AcademicResearch')).toBe(true);
    }
    // …but not by an approval with no DUO use at all.
    expect(purposeCovered(study([]), 'dpv:ScientificResearch')).toBe(false);
  });

  it('AI model training is never covered by a research approval, only when listed itself', () => {
    expect(purposeCovered(study(['duo:0000042', 'duo:0000006']), 'tessera:AIModelTraining')).toBe(false);
    expect(purposeCovered(study(['duo:0000004']), 'tessera:AIModelTraining')).toBe(false);
    expect(purposeCovered(study(['duo:0000006', 'tessera:AIModelTraining']), 'tessera:AIModelTraining')).toBe(true);
  });

  it('a purpose that is not research (dpv:Marketing) is beyond any research approval', () => {
    expect(purposeCovered(study(['duo:0000042']), 'dpv:Marketing')).toBe(false);
    expect(purposesBeyond(study(['duo:0000006']), ['dpv:ScientificResearch', 'duo:0000007', 'dpv:Marketing', 'tessera:AIModelTraining'])).toEqual([
      'dpv:Marketing',
      'tessera:AIModelTraining',
    ]);
  });
});

describe('claimCovered', () => {
  const declared = study(['duo:0000006'], [['age_band'], ['address', 'locality'], ['diagnosis_codes', null], ['visits', 0, 'date']]);

  it('covers a declared path and the paths under it', () => {
    expect(claimCovered(declared, ['age_band'])).toBe(true);
    expect(claimCovered(declared, ['address', 'locality'])).toBe(true);
    expect(claimCovered(declared, ['address', 'locality', 'code'])).toBe(true);
  });

  it('does not cover a parent of a declared path, a sibling, or another claim', () => {
    expect(claimCovered(declared, ['address'])).toBe(false);
    expect(claimCovered(declared, ['address', 'street_address'])).toBe(false);
    expect(claimCovered(declared, ['birthdate'])).toBe(false);
  });

  it('a declared null matches any array index', () => {
    expect(claimCovered(declared, ['diagnosis_codes', 0])).toBe(true);
    expect(claimCovered(declared, ['diagnosis_codes', 3])).toBe(true);
    expect(claimCovered(declared, ['diagnosis_codes', null])).toBe(true);
    expect(claimCovered(declared, ['visits', 1, 'date'])).toBe(false);
    expect(claimCovered(declared, ['visits', 0, 'date'])).toBe(true);
  });
});
