/**
 * The anchoring part's rows, in the shape of the bench's rows (report.ts) with gas as
 * one more unit, and its table in the bench's columns. A ratio is Tessera ÷ baseline,
 * or baseline ÷ Tessera shown as "× cheaper" where less is the point (gas per entry).
 */
import type { Row } from './report.ts';
import { median, round, summarize, type Summary } from './stats.ts';

export type AnchoringUnit = 'gas' | 'B' | 'ms';

/** A bench row (report.ts) whose unit may also be gas. */
export type AnchoringRow = Omit<Row, 'unit'> & { unit: AnchoringUnit };

export interface AnchoringRowSpec {
  id: string;
  metric: string;
  unit: AnchoringUnit;
  tessera: readonly number[];
  baseline: readonly number[] | null;
  ratioOf?: 'baseline/tessera';
  /** A goal on the ratio: at least this. */
  minRatio?: number;
  goalText?: string;
}

export function makeAnchoringRow(spec: AnchoringRowSpec): AnchoringRow {
  const tessera = summarize(spec.tessera);
  const baseline = spec.baseline && spec.baseline.length > 0 ? summarize(spec.baseline) : null;
  const inverse = spec.ratioOf === 'baseline/tessera';
  // From the exact medians (the summaries keep two decimals: a few gas per entry would lose the ratio's digits).
  const tesseraMedian = median(spec.tessera);
  const baselineMedian = baseline ? median(spec.baseline!) : null;
  const [num, den] = inverse ? [baselineMedian, tesseraMedian] : [tesseraMedian, baselineMedian];
  const ratio = num !== null && den !== null && den > 0 ? round(num / den, 2) : null;
  const goal = spec.minRatio === undefined ? null : (spec.goalText ?? `≥ ${spec.minRatio}×`);
  const met = spec.minRatio === undefined ? null : ratio !== null && ratio >= spec.minRatio;
  return { id: spec.id, metric: spec.metric, unit: spec.unit, tessera, baseline, ratio, ...(inverse ? { ratioOf: spec.ratioOf } : {}), goal, met };
}

function fmtValue(value: number, unit: AnchoringUnit): string {
  if (unit === 'gas') return `${value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(2)} gas`;
  if (unit === 'B') return `${value.toLocaleString('en')} B`;
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

function fmtPair(s: Summary | null, unit: AnchoringUnit): string {
  if (!s) return '—';
  if (s.n === 1 || s.median === s.p90) return fmtValue(s.median, unit);
  return `${fmtValue(s.median, unit)} / ${fmtValue(s.p90, unit)}`;
}

function fmtRatio(row: AnchoringRow): string {
  if (row.ratio === null) return '—';
  const digits = row.ratio >= 100 ? 0 : 2;
  return `${row.ratio.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })}×${row.ratioOf ? ' cheaper' : ''}`;
}

/** The bench's table columns: metric, Tessera median/p90, baseline median/p90, ratio, goal, met. */
export function formatAnchoringTable(rows: AnchoringRow[]): string {
  const header = ['metric', 'Tessera med / p90', 'baseline med / p90', 'ratio', 'goal', 'met'];
  const body = rows.map((r) => [
    r.metric,
    fmtPair(r.tessera, r.unit),
    fmtPair(r.baseline, r.unit),
    fmtRatio(r),
    r.goal ?? '—',
    r.met === null ? '—' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(header), rule, ...body.map(line)].join('\n');
}
