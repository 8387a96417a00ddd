import type { SnapshotDetail } from '../../../common/api/scorecard-results.ts';
import { safeCsv } from '../../../common/csv-export.ts';
import { formatMetricValue, majorUnits, statusLabels } from '../../../common/scorecards/format.ts';
import { periodLabel } from '../../../common/scorecards/scorecard.ts';

/**
 * What a snapshot export holds, as a table (pure): the same cells go to CSV, XLSX and PDF.
 *
 * Formula injection: a spreadsheet runs a text cell that starts with =, +, -, @, a tab or a carriage
 * return as a formula. Every TEXT cell that starts with one of them is written with a single quote
 * in front, so it reads as text. Numbers are written as numbers (typed cells in XLSX; in CSV, digits
 * we produced ourselves from a JavaScript number), so a negative figure stays a figure.
 */

export type ExportCell = string | number | null;
export type ExportTable = { title: string; subtitle: string; header: string[]; rows: ExportCell[][]; notes: string[] };

/** The value a spreadsheet can add up: ratios as fractions, money in major units, the rest as is. */
function exportValue(value: number | null, unit: string, currency: string | null): number | null {
  if (value === null) return null;
  if (unit === 'money') return majorUnits(value, currency);
  return value;
}

export function snapshotTable(s: SnapshotDetail): ExportTable {
  const header = ['Rank', 'Subject', 'Parent', 'Score (0-10)', 'Status'];
  for (const m of s.metrics) {
    const unit = m.unit === 'money' ? ` (${m.currency ?? 'USD'})` : m.unit === 'ratio' ? ' (fraction)' : '';
    header.push(`${m.name}${unit}`, `${m.name}: score`, `${m.name}: status`);
  }
  const rows: ExportCell[][] = s.subjects.map((r) => {
    const row: ExportCell[] = [r.rank, r.label, r.parentId, r.score, statusLabels[r.status]];
    s.metrics.forEach((m, i) => {
      const c = r.cells[i];
      row.push(exportValue(c?.value ?? null, m.unit, m.currency), c?.score ?? null, statusLabels[c?.status ?? 'no_data']);
    });
    return row;
  });
  const notes = [
    `Targets: ${s.metrics.map((m) => `${m.name} ${formatMetricValue(m.target, m.unit, m.currency)} (red flag ${formatMetricValue(m.redFlag, m.unit, m.currency)}, weight ${m.weight})`).join('; ')}`,
    'Score: 10/3 + 10/3 x (value - red flag) / (target - red flag), capped to 0-10; the target scores 6.67, the red flag 3.33.',
  ];
  if (s.partnerView) {
    const b = s.benchmarks;
    const q = (x: { peers: number; p25: number | null; median: number | null; p75: number | null }, unit: string, currency: string | null) =>
      x.median === null
        ? `not shown (${x.peers} peers; at least 5 needed)`
        : `p25 ${formatMetricValue(x.p25, unit as 'count', currency)}, median ${formatMetricValue(x.median, unit as 'count', currency)}, p75 ${formatMetricValue(x.p75, unit as 'count', currency)} (${x.peers} peers)`;
    notes.push(`Peer benchmark, overall score: ${q(b.overall, 'number', null)}`);
    s.metrics.forEach((m, i) => {
      const mb = b.metrics[i];
      if (mb) notes.push(`Peer benchmark, ${m.name}: ${q(mb, m.unit, m.currency)}`);
    });
  }
  return {
    title: s.name,
    subtitle: `${periodLabel(s.periodStart, s.grain)} · by ${s.level} · ${s.status === 'published' ? `published ${s.publishedAt?.slice(0, 10) ?? ''}` : 'draft'}`,
    header,
    rows,
    notes,
  };
}

export function toCsv(t: ExportTable): string {
  return safeCsv(t.header, t.rows);
}
