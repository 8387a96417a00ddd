import PDFDocument from 'pdfkit';
import type { StatementAdjustmentView, StatementView } from '../../../common/api/commissions-runs.ts';
import { safeCsv, type CsvCell } from '../../../common/csv-export.ts';
import { formatMajorAmount } from '../../../common/money.ts';
import { pdfTable } from '../../lib/pdf-table.ts';

/**
 * A statement as CSV and as PDF (pure rendering of the statement the JSON route answers, with each
 * adjustment's booking day and origin besides, so the three never differ).
 *
 * CSV: one row per payout line (section `payout_line`), one per adjustment booked for the
 * participant in the commission periods of the run's dates (section `adjustment`: the period it is
 * booked in, kind restatement or dispute, booked_on, reference, amount, reason in `explanation`),
 * then per currency three labelled totals: `statement_total` (the payout lines of the run),
 * `adjustments_total` and `total_including_adjustments`. Sum `amount` over one section, never over
 * the whole file. Text cells that a spreadsheet would read as a formula get a leading apostrophe
 * (common/csv-export.ts); amounts are plain numbers in major units of their currency, rate and
 * multiplier plain fractions (0.1 = 10 %, 1 = no multiplier); an empty cell is "none".
 */

export const STATEMENT_CSV_HEADER = [
  'section',
  'period_start',
  'period_end',
  'currency',
  'component',
  'kind',
  'basis',
  'rate',
  'multiplier',
  'tier_from',
  'tier_to',
  'amount',
  'explanation',
  'booked_on',
  'reference',
] as const;

/** Basis points as an exact decimal fraction: 1000 -> "0.1", 12500 -> "1.25". */
export function bpsFraction(bps: number): string {
  const negative = bps < 0;
  const abs = String(Math.abs(bps)).padStart(5, '0');
  const frac = abs.slice(-4).replace(/0+$/, '');
  const body = frac ? `${abs.slice(0, -4)}.${frac}` : abs.slice(0, -4);
  return negative ? `-${body}` : body;
}

/** What an adjustment refers to: the dispute's reference, or the restated period and version. */
export function adjustmentReference(a: StatementAdjustmentView): string {
  if (a.disputeReference !== null) return a.disputeReference;
  return a.restated ? `${a.restated.periodStart} to ${a.restated.periodEnd} v${a.restated.version}` : '';
}

export type StatementTotals = {
  currency: string;
  /** The run's payout lines (the sum of the period totals). */
  statementMinor: number;
  adjustmentsMinor: number;
  includingAdjustmentsMinor: number;
};

/** Totals per currency, the statement's currencies first, then those only adjustments are in. */
export function statementTotals(s: StatementView): StatementTotals[] {
  const totals = new Map<string, StatementTotals>();
  const of = (currency: string): StatementTotals => {
    let t = totals.get(currency);
    if (!t) {
      t = { currency, statementMinor: 0, adjustmentsMinor: 0, includingAdjustmentsMinor: 0 };
      totals.set(currency, t);
    }
    return t;
  };
  for (const p of s.periods) of(p.currency).statementMinor += p.totalMinor;
  for (const a of s.adjustments) of(a.currency).adjustmentsMinor += a.amountMinor;
  for (const t of totals.values()) t.includingAdjustmentsMinor = t.statementMinor + t.adjustmentsMinor;
  return [...totals.values()];
}

const amountCell = (minor: number, currency: string): CsvCell => ({ number: formatMajorAmount(minor, currency) });

export function statementCsv(s: StatementView): string {
  const lines = s.periods.flatMap((p) =>
    p.lines.map((l): CsvCell[] => [
      'payout_line',
      p.periodStart,
      p.periodEnd,
      p.currency,
      l.componentName,
      l.kind,
      { number: l.basisMinor === null ? '' : formatMajorAmount(l.basisMinor, p.currency) },
      { number: l.rateBps === null ? '' : bpsFraction(l.rateBps) },
      { number: bpsFraction(l.multiplierBps) },
      { number: l.tier ? bpsFraction(l.tier.fromBps) : '' },
      { number: l.tier && l.tier.toBps !== null ? bpsFraction(l.tier.toBps) : '' },
      amountCell(l.amountMinor, p.currency),
      l.explanation,
      '',
      '',
    ]),
  );
  const adjustments = s.adjustments.map((a): CsvCell[] => [
    'adjustment',
    a.periodStart,
    a.periodEnd,
    a.currency,
    '',
    a.source,
    '',
    '',
    '',
    '',
    '',
    amountCell(a.amountMinor, a.currency),
    a.reason,
    a.bookedOn,
    adjustmentReference(a),
  ]);
  const total = (section: string, currency: string, minor: number, explanation: string): CsvCell[] => [
    section,
    '',
    '',
    currency,
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    amountCell(minor, currency),
    explanation,
    '',
    '',
  ];
  const totals = statementTotals(s).flatMap((t) => [
    total('statement_total', t.currency, t.statementMinor, 'Statement total: the payout lines of this run'),
    total('adjustments_total', t.currency, t.adjustmentsMinor, 'Adjustments booked in the commission periods of this run'),
    total('total_including_adjustments', t.currency, t.includingAdjustmentsMinor, 'Statement total plus adjustments'),
  ]);
  return safeCsv(STATEMENT_CSV_HEADER, [...lines, ...adjustments, ...totals]);
}

/** Basis points as a percentage: 5100 -> "51 %", 3550 -> "35.5 %". */
const percentText = (bps: number): string => `${bpsFraction(bps * 100)} %`;
const moneyText = (minor: number, currency: string): string => `${formatMajorAmount(minor, currency)} ${currency}`;
const sumText = (totals: readonly StatementTotals[], pick: (t: StatementTotals) => number): string =>
  totals.map((t) => moneyText(pick(t), t.currency)).join(' + ');

const MARGIN = 48;

/** The PDF: participant, run, totals, then per payout period its figures and lines, then the adjustments. `compress: false` keeps the text readable for tests. */
export function statementPdf(s: StatementView, options: { compress?: boolean } = {}): Promise<Buffer> {
  const title = `Commission statement: ${s.participantName}`;
  const pdf = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    compress: options.compress ?? true,
    lang: 'en',
    displayTitle: true,
    info: { Title: title, Subject: `Commission run ${s.runId}`, Creator: 'Realign' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const width = pdf.page.width - 2 * MARGIN;
  const totals = statementTotals(s);
  pdf.font('Helvetica-Bold').fontSize(16).fillColor('#1a1b1e').text(title, MARGIN, MARGIN, { width });
  pdf.font('Helvetica').fontSize(9).fillColor('#495057').text(`Run ${s.runId} (${s.runStatus}) · participant ${s.participantId}`, { width });
  pdf.fillColor('#1a1b1e').moveDown(0.4);
  pdf
    .font('Helvetica-Bold')
    .fontSize(11)
    .text(
      s.periods.length === 0
        ? 'No payout periods for this participant in this run.'
        : `Statement total ${sumText(totals, (t) => t.statementMinor)} over ${s.periods.length} payout period${s.periods.length === 1 ? '' : 's'}`,
      { width },
    );
  if (s.adjustments.length > 0) {
    pdf
      .font('Helvetica')
      .fontSize(10)
      .text(`Adjustments ${sumText(totals, (t) => t.adjustmentsMinor)} (${s.adjustments.length} booked in the commission periods of this run)`, { width });
    pdf
      .font('Helvetica-Bold')
      .fontSize(11)
      .text(`Total including adjustments ${sumText(totals, (t) => t.includingAdjustmentsMinor)}`, { width });
  }
  pdf.moveDown(0.6);
  for (const p of s.periods) {
    if (pdf.y + 80 > pdf.page.maxY()) pdf.addPage();
    pdf.font('Helvetica-Bold').fontSize(12).text(`${p.periodStart} to ${p.periodEnd} (end exclusive)`, MARGIN, pdf.y, { width });
    pdf
      .font('Helvetica')
      .fontSize(9)
      .text(
        [
          `Quota ${p.quotaMinor === null ? 'none' : moneyText(p.quotaMinor, p.currency)}`,
          `quota credit ${moneyText(p.quotaCreditMinor, p.currency)}`,
          `attainment ${percentText(p.attainmentBps)}`,
          `year to date ${percentText(p.ytdAttainmentBps)}`,
          `total ${moneyText(p.totalMinor, p.currency)}`,
        ].join(' · '),
        { width },
      );
    pdf.moveDown(0.3);
    pdfTable(
      pdf,
      {
        caption: `Payout lines (${p.currency})`,
        columns: ['Component', 'Kind', 'Explanation', 'Basis', 'Rate', 'Multiplier', 'Tier', 'Amount'],
        rows:
          p.lines.length === 0
            ? [['Nothing earned in this period.', '', '', '', '', '', '', '']]
            : [
                ...p.lines.map((l) => [
                  l.componentName,
                  l.kind.replaceAll('_', ' '),
                  l.explanation,
                  l.basisMinor === null ? '—' : formatMajorAmount(l.basisMinor, p.currency),
                  l.rateBps === null ? '—' : percentText(l.rateBps),
                  `×${bpsFraction(l.multiplierBps)}`,
                  !l.tier
                    ? '—'
                    : l.tier.toBps === null
                      ? `from ${percentText(l.tier.fromBps)}`
                      : `${percentText(l.tier.fromBps)} – ${percentText(l.tier.toBps)}`,
                  formatMajorAmount(l.amountMinor, p.currency),
                ]),
                ['Total', '', '', '', '', '', '', formatMajorAmount(p.totalMinor, p.currency)],
              ],
      },
      { weights: [2, 1.2, 5, 1.3, 0.9, 1, 1.4, 1.3] },
    );
  }
  if (pdf.y + 80 > pdf.page.maxY()) pdf.addPage();
  pdf.font('Helvetica-Bold').fontSize(12).text('Adjustments', MARGIN, pdf.y, { width });
  pdf
    .font('Helvetica')
    .fontSize(9)
    .text(
      s.adjustments.length === 0
        ? 'No adjustments are booked for this participant in the commission periods of this run.'
        : 'Booked for this participant in the commission periods of this run (restatement differences and resolved disputes); paid with the period they are booked in.',
      { width },
    );
  pdf.moveDown(0.3);
  if (s.adjustments.length > 0)
    pdfTable(
      pdf,
      {
        caption: 'Adjustments',
        columns: ['Booked on', 'Booked in period', 'Kind', 'Reference', 'Reason', 'Amount'],
        rows: [
          ...s.adjustments.map((a) => [
            a.bookedOn,
            `${a.periodStart} to ${a.periodEnd}`,
            a.source === 'dispute' ? 'Dispute' : 'Restatement',
            adjustmentReference(a),
            a.reason,
            moneyText(a.amountMinor, a.currency),
          ]),
          ...totals
            .filter((t) => s.adjustments.some((a) => a.currency === t.currency))
            .map((t) => ['Total', '', '', '', '', moneyText(t.adjustmentsMinor, t.currency)]),
        ],
      },
      { weights: [1.2, 2, 1.1, 2, 5, 1.5] },
    );
  pdf.end();
  return done;
}
