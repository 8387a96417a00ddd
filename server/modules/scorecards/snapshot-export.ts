import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import type { SnapshotDetail } from '../../../common/api/scorecard-results.ts';
import { formatMetricValue, formatScore, statusLabels } from '../../../common/scorecards/format.ts';
import { neutraliseFormula } from '../../../common/csv-export.ts';
import { pdfTable } from '../../lib/pdf-table.ts';
import { snapshotTable, type ExportCell, type ExportTable } from './snapshot-export.rules.ts';

/** XLSX and PDF renderings of a snapshot (the CSV is in snapshot-export.rules.ts). */

function xlsxCell(cell: ExportCell): string | number | null {
  return typeof cell === 'string' ? neutraliseFormula(cell) : cell;
}

export async function snapshotXlsx(s: SnapshotDetail): Promise<Buffer> {
  const t: ExportTable = snapshotTable(s);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Realign';
  const ws = wb.addWorksheet('Scorecard');
  ws.addRow([xlsxCell(t.title)]).font = { bold: true, size: 14 };
  ws.addRow([xlsxCell(t.subtitle)]);
  ws.addRow([]);
  const head = ws.addRow(t.header.map(xlsxCell));
  head.font = { bold: true };
  for (const r of t.rows) ws.addRow(r.map(xlsxCell));
  // Ratios as percentages: the value columns of ratio metrics.
  s.metrics.forEach((m, i) => {
    if (m.unit === 'ratio') ws.getColumn(6 + i * 3).numFmt = '0.0%';
    if (m.unit === 'money') ws.getColumn(6 + i * 3).numFmt = '#,##0.00';
  });
  ws.addRow([]);
  for (const n of t.notes) ws.addRow([xlsxCell(n)]);
  ws.columns.forEach((c, i) => {
    c.width = i === 1 ? 28 : 14;
  });
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out);
}

const statusColours: Record<string, string> = { green: '#2f9e44', amber: '#f08c00', red: '#e03131', no_data: '#868e96' };

/** A printable A4 landscape report: header, one block per subject with its metric cells, the notes. */
export function snapshotPdf(s: SnapshotDetail): Promise<Buffer> {
  const t = snapshotTable(s);
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 36, info: { Title: t.title, Creator: 'Realign' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.fontSize(18).font('Helvetica-Bold').text(t.title);
  doc.fontSize(10).font('Helvetica').fillColor('#555555').text(t.subtitle).moveDown();
  doc.fillColor('#000000');

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const fixed = [36, 150, 50, 60];
  const metricWidth = Math.max(60, (width - fixed.reduce((a, b) => a + b, 0)) / Math.max(1, s.metrics.length));
  const columns = [...fixed, ...s.metrics.map(() => metricWidth)];
  const headers = ['Rank', 'Subject', 'Score', 'Status', ...s.metrics.map((m) => `${m.name}\ntarget ${formatMetricValue(m.target, m.unit, m.currency)}`)];

  // The widths (points) are the table's weights: with many metrics it is scaled to the page instead of running off it.
  pdfTable(
    doc,
    {
      columns: headers,
      rows: s.subjects.map((r) => [
        r.rank === null ? '—' : String(r.rank),
        r.label,
        formatScore(r.score),
        { text: statusLabels[r.status], colour: statusColours[r.status] ?? '#000000' },
        ...s.metrics.map((m, i) => {
          const c = r.cells[i];
          return {
            text: `${formatMetricValue(c?.value ?? null, m.unit, m.currency)}  (${formatScore(c?.score ?? null)})`,
            colour: statusColours[c?.status ?? 'no_data'] ?? '#000000',
          };
        }),
      ]),
    },
    { weights: columns, lines: 'rules' },
  );
  doc.moveDown();
  doc.font('Helvetica').fontSize(8).fillColor('#333333');
  for (const n of t.notes) doc.text(n, left, doc.y, { width });
  doc.end();
  return done;
}
