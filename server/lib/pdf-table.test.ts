import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { pdfTable, type PdfTableContent, type PdfTableStyle } from './pdf-table.ts';

/** The shared PDF table: every cell drawn, long tables continued on new pages, widths by weight. */

function render(table: PdfTableContent, style?: PdfTableStyle): Promise<Buffer> {
  const pdf = new PDFDocument({ size: 'A4', margin: 40, compress: false });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.text('Before the table');
  pdfTable(pdf, table, style);
  pdf.text('After the table');
  pdf.end();
  return done;
}

/** Text runs of an uncompressed PDF with their positions (pdfkit: `1 0 0 1 x y Tm`, the font, then hex strings in a TJ array). */
function runs(pdf: Buffer): { x: number; y: number; text: string }[] {
  const out: { x: number; y: number; text: string }[] = [];
  for (const m of pdf.toString('latin1').matchAll(/1 0 0 1 ([\d.]+) ([\d.]+) Tm\s*\/F\d+ [\d.]+ Tf\s*\[([^\]]*)\]\s*TJ/g)) {
    const hex = [...(m[3] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1] ?? '').join('');
    out.push({ x: Number(m[1]), y: Number(m[2]), text: Buffer.from(hex, 'hex').toString('latin1') });
  }
  return out;
}

const pages = (pdf: Buffer): number => [...pdf.toString('latin1').matchAll(/\/Type \/Page\b/g)].length;

describe('pdfTable', () => {
  it('draws the caption, the header and every cell, in order, and leaves the position below the table', async () => {
    const pdf = await render({
      caption: 'Payout lines',
      columns: ['Component', 'Amount'],
      rows: [
        ['Commission', '560.00'],
        ['Clawback', { text: '-50.00', colour: '#e03131' }],
      ],
    });
    const texts = runs(pdf).map((r) => r.text);
    expect(texts).toEqual(['Before the table', 'Payout lines', 'Component', 'Amount', 'Commission', '560.00', 'Clawback', '-50.00', 'After the table']);
    expect(pages(pdf)).toBe(1);
  });

  it('sizes the columns by weight across the page between the margins', async () => {
    const pdf = await render({ columns: ['A', 'B', 'C'], rows: [['a', 'b', 'c']] }, { weights: [1, 2, 1] });
    const header = runs(pdf).filter((r) => ['A', 'B', 'C'].includes(r.text));
    const [a, b, c] = header.map((r) => r.x);
    // A4 is 595.28 wide, 40 margins: 515.28 to share 1:2:1; the text starts 3 points into its cell.
    expect(a).toBeCloseTo(43, 0);
    expect(b).toBeCloseTo(40 + 515.28 / 4 + 3, 0);
    expect(c).toBeCloseTo(40 + (515.28 * 3) / 4 + 3, 0);
  });

  it('continues a long table on new pages, every row drawn once', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => [`row ${i}`, 'x'.repeat(i % 7)]);
    const pdf = await render({ caption: 'Long', columns: ['Name', 'Text'], rows }, { lines: 'rules' });
    expect(pages(pdf)).toBeGreaterThan(2);
    const names = runs(pdf)
      .map((r) => r.text)
      .filter((t) => t.startsWith('row '));
    expect(names).toEqual(rows.map((r) => r[0]));
  });

  it('repeats the header row at the top of every page the table continues on, and the caption only once', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => [
      `row ${i}`,
      i % 9 === 0 ? 'a longer text that wraps over more than one line in its narrow column' : 'x',
    ]);
    const pdf = await render({ caption: 'Long', columns: ['Name', 'Text'], rows }, { weights: [3, 1] });
    const texts = runs(pdf).map((r) => r.text);
    const n = pages(pdf);
    expect(n).toBeGreaterThan(2);
    expect(texts.filter((t) => t === 'Name')).toHaveLength(n);
    expect(texts.filter((t) => t === 'Long')).toHaveLength(1);
    // Each page's first row comes right after its header, and every row is drawn once, in order.
    const firsts = texts.flatMap((t, i) => (t === 'Text' ? [texts[i + 1]] : []));
    expect(firsts.every((t) => t?.startsWith('row '))).toBe(true);
    expect(texts.filter((t) => t.startsWith('row '))).toEqual(rows.map((r) => r[0]));
  });
});
