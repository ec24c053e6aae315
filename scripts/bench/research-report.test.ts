import { describe, expect, it } from 'vitest';
import { researchRows, researchSummary } from './research-report.ts';
import type { ConsentWindowSample, RequesterKind } from './research-round.ts';

const sample = (mode: RequesterKind, round: number, windowMs: number, statusListFetches = 0): ConsentWindowSample => ({
  mode,
  round,
  windowMs,
  crossClockMs: windowMs - 5,
  statusListFetches,
  rejectMs: 50,
});

describe('research rows', () => {
  const warmup = [sample('accredited', 0, 400, 1), sample('none', 0, 300)];
  const measured = [sample('none', 1, 100), sample('accredited', 1, 200, 1), sample('accredited', 2, 150), sample('none', 2, 120), sample('accredited', 3, 220, 1), sample('none', 3, 110)];

  it('compares the measured rounds with requester against without, leaving the warm-ups out', () => {
    const [row] = researchRows(measured, [...warmup, ...measured], []);
    expect(row).toMatchObject({ id: 'research-consent-window', goal: null, met: null });
    expect(row!.tessera).toMatchObject({ n: 3, median: 200, p90: 220 });
    expect(row!.baseline).toMatchObject({ n: 3, median: 110 });
    expect(row!.ratio).toBe(1.82);
  });

  it('reports the first request of each kind on its own, and fetched against cached status lists', () => {
    const rows = researchRows(measured, [...warmup, ...measured], []);
    const first = rows.find((r) => r.id === 'research-consent-window-first');
    expect(first).toMatchObject({ tessera: { n: 1, median: 400 }, baseline: { n: 1, median: 300 } });
    expect(first!.metric).toContain('status list fetched');
    const status = rows.find((r) => r.id === 'research-consent-window-status-fetched');
    expect(status).toMatchObject({ tessera: { n: 2, median: 210 }, baseline: { n: 1, median: 150 } });
  });

  it('leaves the status-list row out with a note when every accredited round fetched the list', () => {
    const notes: string[] = [];
    const allFetched = measured.map((s) => (s.mode === 'accredited' ? { ...s, statusListFetches: 1 } : s));
    const rows = researchRows(allFetched, allFetched, notes);
    expect(rows.map((r) => r.id)).toEqual(['research-consent-window', 'research-consent-window-first']);
    expect(notes).toEqual(['research: all 3 measured accredited requests fetched the status list (its ttl had passed each time)']);
  });

  it('has no rows when a kind was never measured (a part that failed early)', () => {
    expect(researchRows([sample('accredited', 0, 200, 1)], [sample('accredited', 0, 200, 1)], [])).toEqual([]);
    expect(researchSummary([sample('none', 0, 90)])).toEqual({ none: expect.objectContaining({ windowMs: expect.objectContaining({ median: 90 }) }) });
  });
});
