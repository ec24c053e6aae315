import { describe, expect, it } from 'vitest';
import { AI_MODEL_TRAINING, parsePurposes } from './purposes.ts';

describe('purposes', () => {
  it('accepts DPV and DUO terms, one or several, without duplicates', () => {
    const parsed = parsePurposes(['dpv:AcademicResearch', 'duo:0000006', 'dpv:AcademicResearch']);
    expect(parsed.ok && parsed.purposes.map((p) => p.term)).toEqual(['dpv:AcademicResearch', 'duo:0000006']);
    expect(parsePurposes('dpv:ServiceProvision').ok).toBe(true);
  });

  it('names every unknown term', () => {
    expect(parsePurposes(['dpv:ServiceProvision', 'dpv:Everything', 'duo:9999999'])).toEqual({ ok: false, unknown: ['dpv:Everything', 'duo:9999999'] });
  });

  it('keeps AI model training a purpose of its own, consented separately', () => {
    const parsed = parsePurposes([AI_MODEL_TRAINING]);
    expect(parsed.ok && parsed.purposes[0]?.separate).toBe(true);
    const research = parsePurposes(['duo:0000042', 'dpv:ScientificResearch']);
    expect(research.ok && research.purposes.some((p) => p.separate)).toBe(false);
  });
});
