/** The benchmark's table (stdout) and rows (for the JSON report). */
import { round, summarize, type Summary } from './stats.ts';

export interface Row {
  id: string;
  metric: string;
  unit: Unit;
  tessera: Summary;
  baseline: Summary | null;
  /** Tessera median ÷ baseline median (or baseline ÷ Tessera, "× faster", when ratioOf says so). */
  ratio: number | null;
  ratioOf?: 'baseline/tessera';
  goal: string | null;
  met: boolean | null;
}

export type Unit = 'ms' | 'µs' | 'B';

export interface RowSpec {
  id: string;
  metric: string;
  unit: Unit;
  tessera: readonly number[];
  baseline: readonly number[] | null;
  /** A goal on the ratio (≤ maxRatio, or ≥ minRatio) or on Tessera's median (≤ maxValue). */
  maxRatio?: number;
  minRatio?: number;
  maxValue?: number;
  goalText?: string;
  /** 'baseline/tessera': the ratio is baseline median ÷ Tessera median, shown as "× faster". */
  ratioOf?: 'baseline/tessera';
}

export function makeRow(spec: RowSpec): Row {
  const tessera = summarize(spec.tessera);
  const baseline = spec.baseline && spec.baseline.length > 0 ? summarize(spec.baseline) : null;
  const inverse = spec.ratioOf === 'baseline/tessera';
  const [num, den] = inverse ? [baseline?.median, tessera.median] : [tessera.median, baseline?.median];
  const ratio = baseline && num !== undefined && den !== undefined && den > 0 ? round(num / den, 2) : null;
  let goal: string | null = null;
  let met: boolean | null = null;
  if (spec.maxRatio !== undefined) {
    goal = spec.goalText ?? `≤ ${spec.maxRatio}× baseline`;
    met = ratio !== null && ratio <= spec.maxRatio;
  } else if (spec.minRatio !== undefined) {
    goal = spec.goalText ?? `≥ ${spec.minRatio}× baseline`;
    met = ratio !== null && ratio >= spec.minRatio;
  } else if (spec.maxValue !== undefined) {
    goal = spec.goalText ?? `≤ ${spec.maxValue} ${spec.unit}`;
    met = tessera.median <= spec.maxValue;
  }
  return { id: spec.id, metric: spec.metric, unit: spec.unit, tessera, baseline, ratio, ...(inverse ? { ratioOf: spec.ratioOf } : {}), goal, met };
}

function fmtValue(value: number, unit: Unit): string {
  if (unit === 'µs') return value >= 1000 ? fmtValue(value / 1000, 'ms') : `${value.toFixed(1)} µs`;
  if (unit === 'B') return value >= 10_000 ? `${(value / 1000).toFixed(1)} kB` : `${value} B`;
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

function fmtPair(s: Summary | null, unit: Unit): string {
  if (!s) return '—';
  if (s.n === 1) return fmtValue(s.median, unit);
  return `${fmtValue(s.median, unit)} / ${fmtValue(s.p90, unit)}`;
}

/** A plain-text table: metric, Tessera median/p90, baseline median/p90, ratio, goal, met. */
export function formatTable(rows: Row[]): string {
  const header = ['metric', 'Tessera med / p90', 'baseline med / p90', 'ratio', 'goal', 'met'];
  const body = rows.map((r) => [
    r.metric,
    fmtPair(r.tessera, r.unit),
    fmtPair(r.baseline, r.unit),
    r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×${r.ratioOf ? ' faster' : ''}`,
    r.goal ?? '—',
    r.met === null ? '—' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(header), rule, ...body.map(line)].join('\n');
}
