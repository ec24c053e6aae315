import { describe, expect, it } from 'vitest';
import { formatAnchoringTable, makeAnchoringRow } from './anchoring-report.ts';

describe('anchoring rows', () => {
  it('takes the "× cheaper" ratio from the exact medians, not the two-decimal summaries', () => {
    // 24,268 / 4,096 = 5.9248…: rounded to 5.92 first, the ratio would come out 4,099.32.
    const row = makeAnchoringRow({
      id: 'per-entry',
      metric: 'gas per entry',
      unit: 'gas',
      tessera: [24_268 / 4_096, 24_268 / 4_096, 24_256 / 4_096],
      baseline: [24_268, 24_256, 24_268],
      ratioOf: 'baseline/tessera',
      minRatio: 1_000,
      goalText: '≥ 1,000× cheaper',
    });
    expect(row.tessera.median).toBe(5.92);
    expect(row.ratio).toBe(4_096);
    expect(row).toMatchObject({ ratioOf: 'baseline/tessera', goal: '≥ 1,000× cheaper', met: true });
  });

  it('misses a ratio goal below it, and has none without one', () => {
    const below = makeAnchoringRow({ id: 'a', metric: 'a', unit: 'gas', tessera: [100], baseline: [50_000], ratioOf: 'baseline/tessera', minRatio: 1_000 });
    expect(below).toMatchObject({ ratio: 500, goal: '≥ 1000×', met: false });
    const plain = makeAnchoringRow({ id: 'b', metric: 'b', unit: 'B', tessera: [3_518], baseline: [3_188] });
    expect(plain).toMatchObject({ ratio: 1.1, goal: null, met: null });
    expect(plain.ratioOf).toBeUndefined();
  });

  it('has no ratio without a baseline', () => {
    expect(makeAnchoringRow({ id: 'c', metric: 'c', unit: 'ms', tessera: [250], baseline: [] })).toMatchObject({ baseline: null, ratio: null });
  });

  it('prints the bench columns with gas, bytes and times in their units', () => {
    const table = formatAnchoringTable([
      makeAnchoringRow({ id: 'g', metric: 'gas per entry', unit: 'gas', tessera: [5.9248], baseline: [24_268], ratioOf: 'baseline/tessera', minRatio: 1_000 }),
      makeAnchoringRow({ id: 'p', metric: 'proof', unit: 'B', tessera: [3_518], baseline: [3_188] }),
      makeAnchoringRow({ id: 't', metric: 'revoke', unit: 'ms', tessera: [200, 250, 1_500], baseline: [100, 110, 120] }),
    ]);
    const [header, rule, gas, proof, time] = table.split('\n');
    expect(header).toMatch(/^metric\s+Tessera med \/ p90\s+baseline med \/ p90\s+ratio\s+goal\s+met$/);
    expect(rule).toMatch(/^─+( +─+){5}$/);
    expect(gas).toMatch(/gas per entry\s+5\.92 gas\s+24,268 gas\s+4,096× cheaper\s+≥ 1000×\s+yes$/);
    expect(proof).toMatch(/proof\s+3,518 B\s+3,188 B\s+1\.10×\s+—\s+—$/);
    expect(time).toMatch(/revoke\s+250\.0 ms \/ 1\.50 s\s+110\.0 ms \/ 120\.0 ms\s+2\.27×/);
  });
});
