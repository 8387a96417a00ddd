import PDFDocument from 'pdfkit';
import type { DocTable, PlanDocumentView } from '../../../common/api/comp-rollout.ts';
import { pdfTable } from '../../lib/pdf-table.ts';
import { dateText } from './plan-document.rules.ts';

/**
 * The plan document as a standalone, printable HTML page (every value escaped, no script, no
 * external resource) and as a PDF (pdfkit, the standard Helvetica fonts) with the same content.
 */

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}
const e = escapeHtml;

function htmlTable(t: DocTable): string {
  const head = t.columns.map((c) => `<th scope="col">${e(c)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><caption>${e(t.caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const paragraphs = (items: readonly string[]): string => items.map((s) => `<p>${e(s)}</p>`).join('\n');

const style = `
  :root { color-scheme: light; }
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1a1b1e; max-width: 52rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.5; }
  h1 { font-size: 1.6rem; margin-bottom: .25rem; }
  h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ced4da; padding-bottom: .25rem; }
  h3 { font-size: 1.05rem; margin: 1.25rem 0 .25rem; }
  .meta { color: #495057; margin-top: 0; }
  table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; font-size: .92rem; }
  caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
  th, td { border: 1px solid #ced4da; padding: .3rem .5rem; text-align: left; vertical-align: top; }
  th { background: #f1f3f5; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .total { font-weight: 700; }
  @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, section.example { break-inside: avoid; } }
`;

export function planDocumentHtml(doc: PlanDocumentView): string {
  const components = doc.components
    .map(
      (c) => `<section aria-labelledby="c-${e(c.key)}">
<h3 id="c-${e(c.key)}">${e(c.name)} <small>(${e(c.kindLabel)})</small></h3>
${c.description ? `<p>${e(c.description)}</p>` : ''}
${paragraphs(c.sentences)}
${c.tables.map(htmlTable).join('\n')}
</section>`,
    )
    .join('\n');
  const quotaRows = doc.quota.periods
    .map((p) => `<tr><td>${e(p.label)}</td><td class="num">${e(p.quotaText)}</td><td class="num">${e(p.proratedText)}</td></tr>`)
    .join('\n');
  const quota = `${paragraphs(doc.quota.sentences)}
<table><caption>Your quota by payout period</caption><thead><tr><th scope="col">Period</th><th scope="col" class="num">Quota</th><th scope="col" class="num">Your quota (prorated)</th></tr></thead><tbody>
${quotaRows}
</tbody></table>`;
  const examples = doc.examples
    ? `<p>${e('What the plan would pay you, calculated by the same engine that calculates your pay:')}</p>
<ul>${doc.examples.assumptions.map((a) => `<li>${e(a)}</li>`).join('')}</ul>
${doc.examples.cases
  .map(
    (x) => `<section class="example" aria-label="${e(x.label)}">
<h3>${e(x.label)}: ${e(x.totalText)}</h3>
<p>Credit ${e(x.creditText)}, attainment ${e(String(x.attainmentBps / 100))} %.</p>
<table><caption>${e(x.label)}: payout lines</caption><thead><tr><th scope="col">Component</th><th scope="col">Why</th><th scope="col" class="num">Amount</th></tr></thead><tbody>
${x.lines.map((l) => `<tr><td>${e(l.componentName)}</td><td>${e(l.explanation)}</td><td class="num">${e(l.amountText)}</td></tr>`).join('\n')}
<tr class="total"><td colspan="2">Total</td><td class="num">${e(x.totalText)}</td></tr>
</tbody></table>
</section>`,
  )
  .join('\n')}`
    : `<p>${e(doc.examplesNote ?? '')}</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(doc.title)}</title>
<style>${style}</style>
</head>
<body>
<main>
<h1>${e(doc.plan.name)}</h1>
<p class="meta">${e(`${doc.participant.displayName} · version ${doc.plan.version} · ${doc.plan.currency} · generated ${dateText(doc.generatedOn)}`)}</p>
<section aria-labelledby="s-plan"><h2 id="s-plan">Your plan</h2>
${paragraphs(doc.overview)}
</section>
<section aria-labelledby="s-components"><h2 id="s-components">What you are paid for</h2>
${components}
</section>
<section aria-labelledby="s-quota"><h2 id="s-quota">Your quota</h2>
${quota}
</section>
<section aria-labelledby="s-examples"><h2 id="s-examples">Examples</h2>
${examples}
</section>
<section aria-labelledby="s-terms"><h2 id="s-terms">Terms</h2>
${paragraphs(doc.terms)}
</section>
</main>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------
// PDF

type Pdf = InstanceType<typeof PDFDocument>;
const MARGIN = 56;

function ensureRoom(pdf: Pdf, height: number): void {
  if (pdf.y + height > pdf.page.height - MARGIN) pdf.addPage();
}

function pdfHeading(pdf: Pdf, text: string, size: number): void {
  ensureRoom(pdf, size * 3);
  pdf
    .moveDown(0.6)
    .font('Helvetica-Bold')
    .fontSize(size)
    .fillColor('#1a1b1e')
    .text(text, MARGIN, pdf.y, { width: pdf.page.width - 2 * MARGIN });
  pdf.moveDown(0.25).font('Helvetica').fontSize(10);
}

function pdfParagraphs(pdf: Pdf, items: readonly string[]): void {
  pdf.font('Helvetica').fontSize(10);
  for (const s of items) {
    const width = pdf.page.width - 2 * MARGIN;
    ensureRoom(pdf, pdf.heightOfString(s, { width }) + 4);
    pdf.text(s, MARGIN, pdf.y, { width });
    pdf.moveDown(0.3);
  }
}

/** The PDF rendering. `compress: false` leaves the content streams readable (tests read the text from them). */
export function planDocumentPdf(doc: PlanDocumentView, options: { compress?: boolean } = {}): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: options.compress ?? true,
    lang: 'en',
    displayTitle: true,
    info: { Title: doc.title, Subject: `Compensation plan ${doc.plan.key} version ${doc.plan.version}`, Creator: 'Realign' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const width = pdf.page.width - 2 * MARGIN;
  pdf.font('Helvetica-Bold').fontSize(18).text(doc.plan.name, MARGIN, MARGIN, { width });
  pdf
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#495057')
    .text(`${doc.participant.displayName} · version ${doc.plan.version} · ${doc.plan.currency} · generated ${dateText(doc.generatedOn)}`, { width });
  pdf.fillColor('#1a1b1e');

  pdfHeading(pdf, 'Your plan', 14);
  pdfParagraphs(pdf, doc.overview);

  pdfHeading(pdf, 'What you are paid for', 14);
  for (const c of doc.components) {
    pdfHeading(pdf, `${c.name} (${c.kindLabel})`, 11);
    if (c.description) pdfParagraphs(pdf, [c.description]);
    pdfParagraphs(pdf, c.sentences);
    for (const t of c.tables) pdfTable(pdf, t, { fontSize: 9 });
  }

  pdfHeading(pdf, 'Your quota', 14);
  pdfParagraphs(pdf, doc.quota.sentences);
  pdfTable(
    pdf,
    {
      caption: 'Your quota by payout period',
      columns: ['Period', 'Quota', 'Your quota (prorated)'],
      rows: doc.quota.periods.map((p) => [p.label, p.quotaText, p.proratedText]),
    },
    { weights: [2, 1, 1], fontSize: 9 },
  );

  pdfHeading(pdf, 'Examples', 14);
  if (doc.examples) {
    pdfParagraphs(pdf, [
      'What the plan would pay you, calculated by the same engine that calculates your pay:',
      ...doc.examples.assumptions.map((a) => `• ${a}`),
    ]);
    for (const x of doc.examples.cases) {
      pdfHeading(pdf, `${x.label}: ${x.totalText}`, 11);
      pdfParagraphs(pdf, [`Credit ${x.creditText}, attainment ${x.attainmentBps / 100} %.`]);
      pdfTable(
        pdf,
        {
          caption: `${x.label}: payout lines`,
          columns: ['Component', 'Why', 'Amount'],
          rows: [...x.lines.map((l) => [l.componentName, l.explanation, l.amountText]), ['Total', '', x.totalText]],
        },
        { weights: [1.2, 3, 1], fontSize: 9 },
      );
    }
  } else pdfParagraphs(pdf, [doc.examplesNote ?? '']);

  pdfHeading(pdf, 'Terms', 14);
  pdfParagraphs(pdf, doc.terms);
  pdf.end();
  return done;
}
