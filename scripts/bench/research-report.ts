/**
 * The research part's rows and summaries (research.ts), from its samples: the measured
 * rounds with against without requester, the first request of each kind on its own, and
 * the accredited rounds that fetched the status list against those its cache answered.
 */
import { makeRow, type Row } from './report.ts';
import type { ConsentWindowSample, RequesterKind } from './research-round.ts';
import { summarize, type Summary } from './stats.ts';

export type ResearchSummary = Partial<Record<RequesterKind, { windowMs: Summary; crossClockMs: Summary; rejectMs: Summary }>>;

/** Summaries per kind of the measured samples (the window, across clocks, and the reject → 4001). */
export function researchSummary(samples: readonly ConsentWindowSample[]): ResearchSummary {
  const out: ResearchSummary = {};
  for (const mode of ['accredited', 'none'] as const) {
    const of = samples.filter((s) => s.mode === mode);
    if (of.length === 0) continue;
    out[mode] = { windowMs: summarize(of.map((s) => s.windowMs)), crossClockMs: summarize(of.map((s) => s.crossClockMs)), rejectMs: summarize(of.map((s) => s.rejectMs)) };
  }
  return out;
}

/** The rows (a row only when both its sides were measured; otherwise a note says why the status-list row is missing). */
export function researchRows(measured: readonly ConsentWindowSample[], all: readonly ConsentWindowSample[], notes: string[]): Row[] {
  const ms = (of: readonly ConsentWindowSample[], mode: RequesterKind) => of.filter((s) => s.mode === mode).map((s) => s.windowMs);
  const rows: Row[] = [];
  if (ms(measured, 'accredited').length > 0 && ms(measured, 'none').length > 0) {
    rows.push(makeRow({ id: 'research-consent-window', metric: 'request → consent window, research request with accreditation checks vs the same without requester', unit: 'ms', tessera: ms(measured, 'accredited'), baseline: ms(measured, 'none') }));
  }
  const firstOf = (mode: RequesterKind) => all.find((s) => s.mode === mode);
  const [firstAccredited, firstNone] = [firstOf('accredited'), firstOf('none')];
  if (firstAccredited && firstNone) {
    rows.push(makeRow({ id: 'research-consent-window-first', metric: `the same, first request of each after onboarding (cold caches${firstAccredited.statusListFetches > 0 ? ', status list fetched' : ''})`, unit: 'ms', tessera: [firstAccredited.windowMs], baseline: [firstNone.windowMs] }));
  }
  const accredited = measured.filter((s) => s.mode === 'accredited');
  const fetched = accredited.filter((s) => s.statusListFetches > 0).map((s) => s.windowMs);
  const cached = accredited.filter((s) => s.statusListFetches === 0).map((s) => s.windowMs);
  if (fetched.length > 0 && cached.length > 0) {
    rows.push(makeRow({ id: 'research-consent-window-status-fetched', metric: 'accredited request → consent window, status list fetched vs from the ttl cache', unit: 'ms', tessera: fetched, baseline: cached }));
  } else if (accredited.length > 0) {
    notes.push(`research: all ${accredited.length} measured accredited requests ${fetched.length > 0 ? 'fetched the status list (its ttl had passed each time)' : 'were answered from the status-list cache'}`);
  }
  return rows;
}
