import type PDFDocument from 'pdfkit';

/**
 * One table layout for every PDF the server renders (statements, plan documents, scorecard
 * snapshots): pdfkit's own table (rows measured, wrapped and moved to a new page when they do not
 * fit), with a caption, a bold header row repeated at the top of every page the table continues on,
 * and the house style. The table spans the page between its left and right margins; column widths
 * are relative weights.
 */

type Pdf = InstanceType<typeof PDFDocument>;

/** A cell: its text, or its text with a colour. */
export type PdfTableCell = string | { text: string; colour?: string };

export type PdfTableContent = {
  /** Drawn in bold above the table, kept on the page of the header row. */
  caption?: string;
  columns: readonly string[];
  rows: readonly (readonly PdfTableCell[])[];
};

export type PdfTableStyle = {
  /** Relative column widths (default: equal). */
  weights?: readonly number[];
  /** Font size of the cells (default 8). */
  fontSize?: number;
  /** `grid`: every cell boxed (default); `rules`: a line under each row only. */
  lines?: 'grid' | 'rules';
};

const TEXT = '#1a1b1e';
/** Cell padding in points, on every side. */
const PAD = 3;

/** Draws the table at the current position (from the left margin) and leaves the position below it. */
export function pdfTable(pdf: Pdf, table: PdfTableContent, style: PdfTableStyle = {}): void {
  const left = pdf.page.margins.left;
  const width = pdf.page.width - left - pdf.page.margins.right;
  const size = style.fontSize ?? 8;
  const weights = style.weights ?? table.columns.map(() => 1);
  const sum = weights.reduce((a, b) => a + b, 0);
  const widths = table.columns.map((_, i) => (width * (weights[i] ?? 0)) / sum);
  // The caption, the header and a first row start on one page.
  if (pdf.y + 40 + size * 2 > pdf.page.maxY()) pdf.addPage();
  if (table.caption !== undefined) {
    pdf.font('Helvetica-Bold').fontSize(Math.max(9, size)).fillColor(TEXT).text(table.caption, left, pdf.y, { width });
    pdf.moveDown(0.2);
  }
  pdf.font('Helvetica').fontSize(size).fillColor(TEXT);
  const grid = (style.lines ?? 'grid') === 'grid';
  const cell = (c: PdfTableCell, header: boolean): PDFKit.Mixins.CellOptions => ({
    text: typeof c === 'string' ? c : c.text,
    textColor: typeof c === 'string' ? TEXT : (c.colour ?? TEXT),
    ...(header ? { type: 'TH' as const, font: { src: 'Helvetica-Bold' } } : {}),
  });
  const header = table.columns.map((c) => cell(c, true));
  const start = (): PDFKit.Mixins.PDFTableObject =>
    pdf
      .table({
        position: { x: left, y: pdf.y },
        maxWidth: width,
        columnStyles: widths,
        defaultStyle: {
          padding: { top: PAD, right: PAD, bottom: PAD, left: PAD },
          border: grid ? 0.5 : { top: 0, right: 0, bottom: 0.5, left: 0 },
          borderColor: grid ? '#ced4da' : '#dddddd',
          textColor: TEXT,
        },
      })
      .row(header);
  // Row by row, so that a row which would not fit starts a new page under a repeated header row
  // (pdfkit's own page break would continue the table without one).
  let drawing = start();
  for (const r of table.rows) {
    const texts = table.columns.map((_, i) => r[i] ?? '');
    pdf.font('Helvetica').fontSize(size);
    const height = Math.max(...texts.map((c, i) => pdf.heightOfString(typeof c === 'string' ? c : c.text, { width: (widths[i] ?? 0) - 2 * PAD })));
    if (pdf.y + height + 2 * PAD + 2 > pdf.page.maxY()) {
      drawing.end();
      pdf.addPage();
      drawing = start();
    }
    drawing.row(texts.map((c) => cell(c, false)));
  }
  drawing.end();
  pdf.x = left;
  pdf.fillColor(TEXT).font('Helvetica').fontSize(size);
  pdf.moveDown(0.6);
}
