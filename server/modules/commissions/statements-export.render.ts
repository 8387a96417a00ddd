import PDFDocument from 'pdfkit';
import type { StatementView } from '../../../common/api/commissions-runs.ts';
import { safeCsv, type CsvCell } from '../../../common/csv-export.ts';
import { formatMajorAmount } from '../../../common/money.ts';

/**
 * A statement as CSV and as PDF (pure rendering of the JSON statement, so the three never differ).
 *
 * CSV: one row per payout line; text cells that a spreadsheet would read as a formula get a leading
 * apostrophe (common/csv-export.ts); amounts are plain numbers in major units of the period currency, rate
 * and multiplier plain fractions (0.1 = 10 %, 1 = no multiplier); an empty cell is "none".
 */

export const STATEMENT_CSV_HEADER = [
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
] as const;

/** Basis points as an exact decimal fraction: 1000 -> "0.1", 12500 -> "1.25". */
export function bpsFraction(bps: number): string {
  const negative = bps < 0;
  const abs = String(Math.abs(bps)).padStart(5, '0');
  const frac = abs.slice(-4).replace(/0+$/, '');
  const body = frac ? `${abs.slice(0, -4)}.${frac}` : abs.slice(0, -4);
  return negative ? `-${body}` : body;
}

export function statementCsv(s: StatementView): string {
  const rows: CsvCell[][] = s.periods.flatMap((p) =>
    p.lines.map((l): CsvCell[] => [
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
      { number: formatMajorAmount(l.amountMinor, p.currency) },
      l.explanation,
    ]),
  );
  return safeCsv(STATEMENT_CSV_HEADER, rows);
}

/** Basis points as a percentage: 5100 -> "51 %", 3550 -> "35.5 %". */
const percentText = (bps: number): string => `${bpsFraction(bps * 100)} %`;
const moneyText = (minor: number, currency: string): string => `${formatMajorAmount(minor, currency)} ${currency}`;

type Pdf = InstanceType<typeof PDFDocument>;
const MARGIN = 48;

function ensureRoom(pdf: Pdf, height: number): void {
  if (pdf.y + height > pdf.page.height - MARGIN) pdf.addPage();
}

function table(pdf: Pdf, caption: string, columns: readonly string[], rows: readonly (readonly string[])[], weights: readonly number[]): void {
  const width = pdf.page.width - 2 * MARGIN;
  const sum = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((x) => (width * x) / sum);
  const pad = 3;
  const row = (cells: readonly string[], bold: boolean) => {
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
    const h = Math.max(...cells.map((c, i) => pdf.heightOfString(c, { width: (widths[i] ?? 0) - 2 * pad }))) + 2 * pad;
    ensureRoom(pdf, h);
    const y = pdf.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      const cw = widths[i] ?? 0;
      pdf.rect(x, y, cw, h).strokeColor('#ced4da').lineWidth(0.5).stroke();
      pdf.fillColor('#1a1b1e').text(c, x + pad, y + pad, { width: cw - 2 * pad });
      x += cw;
    });
    pdf.x = MARGIN;
    pdf.y = y + h;
  };
  ensureRoom(pdf, 40);
  pdf.font('Helvetica-Bold').fontSize(9).text(caption, MARGIN, pdf.y, { width });
  pdf.moveDown(0.2);
  row(columns, true);
  for (const r of rows) row(r, false);
  pdf.moveDown(0.6);
}

/** The PDF: participant, run, totals, then per payout period its figures and lines. `compress: false` keeps the text readable for tests. */
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
  const totals = new Map<string, number>();
  for (const p of s.periods) totals.set(p.currency, (totals.get(p.currency) ?? 0) + p.totalMinor);
  pdf.font('Helvetica-Bold').fontSize(16).fillColor('#1a1b1e').text(title, MARGIN, MARGIN, { width });
  pdf.font('Helvetica').fontSize(9).fillColor('#495057').text(`Run ${s.runId} (${s.runStatus}) · participant ${s.participantId}`, { width });
  pdf.fillColor('#1a1b1e').moveDown(0.4);
  pdf
    .font('Helvetica-Bold')
    .fontSize(11)
    .text(
      s.periods.length === 0
        ? 'No payout periods for this participant in this run.'
        : `Total ${[...totals.entries()].map(([c, v]) => moneyText(v, c)).join(' + ')} over ${s.periods.length} payout period${s.periods.length === 1 ? '' : 's'}`,
      { width },
    );
  pdf.moveDown(0.6);
  for (const p of s.periods) {
    ensureRoom(pdf, 80);
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
    table(
      pdf,
      `Payout lines (${p.currency})`,
      ['Component', 'Kind', 'Explanation', 'Basis', 'Rate', 'Multiplier', 'Tier', 'Amount'],
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
              !l.tier ? '—' : l.tier.toBps === null ? `from ${percentText(l.tier.fromBps)}` : `${percentText(l.tier.fromBps)} – ${percentText(l.tier.toBps)}`,
              formatMajorAmount(l.amountMinor, p.currency),
            ]),
            ['Total', '', '', '', '', '', '', formatMajorAmount(p.totalMinor, p.currency)],
          ],
      [2, 1.2, 5, 1.3, 0.9, 1, 1.4, 1.3],
    );
  }
  pdf.end();
  return done;
}
