import { inflateSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommissionPeriodView } from '../../../common/api/commissions-close.ts';
import type { InternalDisputeDetail } from '../../../common/api/commissions-disputes.ts';
import type { CommissionRunView, StatementView } from '../../../common/api/commissions-runs.ts';
import { statementCsv, statementPdf, STATEMENT_CSV_HEADER } from './statements-export.render.ts';
import { runsFixture, type RunsFixture } from './runs.test-support.ts';

/** Statement downloads (CSV, PDF) over the runs fixture (runs.test-support.ts): same content and visibility as the JSON statement. */

let f: RunsFixture;
let runId: string;

beforeAll(async () => {
  f = await runsFixture();
  const run: CommissionRunView = await f.completedRun('2027-01-01', '2027-04-01');
  expect(run.status).toBe('completed');
  runId = run.id;
}, 120_000);

afterAll(async () => {
  await f?.t.app.close();
  await f?.t.close();
});

const get = (session: RunsFixture['admin'], url: string) => f.t.app.inject({ method: 'GET', url, headers: session.headers });
const post = (session: RunsFixture['admin'], url: string, payload: object) => f.t.app.inject({ method: 'POST', url, headers: session.headers, payload });

const column = (name: (typeof STATEMENT_CSV_HEADER)[number]): number => STATEMENT_CSV_HEADER.indexOf(name);
const sectionRows = (rows: string[][], section: string): string[][] => rows.filter((r) => r[0] === section);

/** The text drawn by a PDF's content streams (compressed or not): pdfkit writes standard-font text as hex strings in TJ arrays. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const streams: string[] = [raw];
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      streams.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // not a deflated stream
    }
  }
  const lines: string[] = [];
  for (const s of streams)
    for (const m of s.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const hex = [...(m[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1] ?? '').join('');
      lines.push(Buffer.from(hex, 'hex').toString('latin1'));
    }
  return lines.join('\n');
}

describe('statement CSV', () => {
  it('holds one row per payout line of the JSON statement, amounts in major units, and labelled totals', async () => {
    const json = (await get(f.seller, `/api/comp/statements?runId=${runId}`)).json<StatementView>();
    const r = await get(f.seller, `/api/comp/statements/${runId}/${f.P.a}.csv`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="statement-${f.P.a}-${runId}.csv"`);
    const [header, ...rows]: string[][] = parseCsv(r.body);
    expect(header).toEqual([...STATEMENT_CSV_HEADER]);
    const expected = json.periods.flatMap((p) =>
      p.lines.map((l) => [
        'payout_line',
        p.periodStart,
        p.periodEnd,
        p.currency,
        l.componentName,
        l.kind,
        l.basisMinor === null ? '' : (l.basisMinor / 100).toFixed(2),
        l.rateBps === null ? '' : String(l.rateBps / 10_000),
        String(l.multiplierBps / 10_000),
        l.tier ? String(l.tier.fromBps / 10_000) : '',
        l.tier && l.tier.toBps !== null ? String(l.tier.toBps / 10_000) : '',
        (l.amountMinor / 100).toFixed(2),
        l.explanation,
        '',
        '',
      ]),
    );
    expect(expected.length).toBeGreaterThan(1);
    expect(json.adjustments).toEqual([]);
    const lines = sectionRows(rows, 'payout_line');
    expect(lines).toEqual(expected);
    const amount = column('amount');
    // Hand-derived (runs.test-support.ts): A's Q1 pays 560.00 - 50.00 = 510.00 EUR.
    expect(lines.reduce((a, row) => a + Number(row[amount]), 0)).toBeCloseTo(510, 2);
    expect(lines.some((row) => row[amount]?.startsWith('-'))).toBe(true); // the clawback stays a number
    // No adjustments: the three totals, labelled, and nothing else.
    expect(rows.slice(lines.length).map((row) => [row[0], row[column('currency')], row[amount]])).toEqual([
      ['statement_total', 'EUR', '510.00'],
      ['adjustments_total', 'EUR', '0.00'],
      ['total_including_adjustments', 'EUR', '510.00'],
    ]);
  });

  it('neutralises text cells a spreadsheet would read as a formula, not negative amounts', async () => {
    const s: StatementView = {
      runId: f.P.a,
      runStatus: 'completed',
      participantId: f.P.a,
      participantName: 'X',
      adjustments: [
        {
          adjustmentId: f.P.b,
          bookedOn: '2027-02-03',
          periodStart: '2027-01-01',
          periodEnd: '2027-04-01',
          currency: 'EUR',
          amountMinor: -2_000,
          reason: '=1+2',
          source: 'restatement',
          disputeReference: null,
          restated: { periodStart: '2026-10-01', periodEnd: '2027-01-01', version: 2 },
        },
        {
          adjustmentId: f.P.c,
          bookedOn: '2027-02-04',
          periodStart: '2027-01-01',
          periodEnd: '2027-04-01',
          currency: 'USD',
          amountMinor: 700,
          reason: '+cmd',
          source: 'dispute',
          disputeReference: 'DSP-000042',
          restated: null,
        },
      ],
      periods: [
        {
          periodStart: '2027-01-01',
          periodEnd: '2027-04-01',
          planVersionId: f.P.a,
          currency: 'EUR',
          quotaMinor: null,
          quotaCreditMinor: 0,
          attainmentBps: 0,
          ytdAttainmentBps: 0,
          totalMinor: -1_250,
          lines: [
            {
              index: 0,
              componentKey: 'evil',
              componentName: '=HYPERLINK("http://x.test","y")',
              kind: 'clawback',
              basisMinor: -12_500,
              rateBps: 1000,
              multiplierBps: 12_500,
              tier: null,
              amountMinor: -1_250,
              explanation: '@SUM(A1)',
              buckets: [],
            },
          ],
        },
      ],
    };
    const csv = statementCsv(s);
    const [, line, restatement, dispute, ...totals]: string[][] = parseCsv(csv);
    expect(line?.[column('component')]).toBe(`'=HYPERLINK("http://x.test","y")`);
    expect(line?.[column('explanation')]).toBe(`'@SUM(A1)`);
    expect(line?.slice(column('basis'), column('amount') + 1)).toEqual(['-125.00', '0.1', '1.25', '', '', '-12.50']);
    expect(csv.split('\r\n')[1]).toContain(',-125.00,0.1,1.25,,,-12.50,');
    expect(restatement).toEqual([
      'adjustment',
      '2027-01-01',
      '2027-04-01',
      'EUR',
      '',
      'restatement',
      '',
      '',
      '',
      '',
      '',
      '-20.00',
      `'=1+2`,
      '2027-02-03',
      '2026-10-01 to 2027-01-01 v2',
    ]);
    expect(dispute).toEqual(['adjustment', '2027-01-01', '2027-04-01', 'USD', '', 'dispute', '', '', '', '', '', '7.00', `'+cmd`, '2027-02-04', 'DSP-000042']);
    // Per currency: the statement, the adjustments and both together; a currency only adjustments are in still gets its three.
    expect(totals.map((row) => [row[0], row[column('currency')], row[column('amount')]])).toEqual([
      ['statement_total', 'EUR', '-12.50'],
      ['adjustments_total', 'EUR', '-20.00'],
      ['total_including_adjustments', 'EUR', '-32.50'],
      ['statement_total', 'USD', '0.00'],
      ['adjustments_total', 'USD', '7.00'],
      ['total_including_adjustments', 'USD', '7.00'],
    ]);

    const text = pdfText(await statementPdf(s, { compress: false }));
    expect(text).toContain('Statement total -12.50 EUR + 0.00 USD over 1 payout period');
    expect(text).toContain('Total including adjustments -32.50 EUR + 7.00 USD');
    expect(text).toContain('2026-10-01 to 2027-01-01 v2');
    expect(text).toContain('DSP-000042');
  });
});

describe('statement adjustments in the downloads', () => {
  it('lists a resolved dispute’s adjustment with its date, period, reference and reason, and totals with and without it', async () => {
    const period = await post(f.admin, '/api/comp/periods', { periodStart: '2027-01-01', periodEnd: '2027-04-01' });
    expect(period.statusCode, period.body).toBe(201);
    const opened = await post(f.seller, '/api/comp/disputes', {
      subject: 'Q1 commission is short',
      description: 'The T2 split should be 70/30.',
      line: { runId, lineIndex: 0 },
      claimed: { amountMinor: 57_000, currency: 'EUR' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const dispute = opened.json<InternalDisputeDetail>();
    const resolved = await post(f.admin, `/api/comp/disputes/${dispute.id}/resolve`, {
      note: 'Split corrected.',
      adjustment: { periodId: period.json<CommissionPeriodView>().id, amountMinor: 5_000, currency: 'EUR', reason: '=T2 split 70/30' },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const adjustmentId = resolved.json<InternalDisputeDetail>().adjustments[0]?.id ?? '';
    const booked = await f.t.deps.db
      .selectFrom('commissionAdjustment')
      .select('createdAt')
      .where('commissionAdjustmentId', '=', adjustmentId)
      .executeTakeFirstOrThrow();
    const bookedOn = new Date(booked.createdAt).toISOString().slice(0, 10);

    // The JSON statement and both downloads show it.
    const json = (await get(f.seller, `/api/comp/statements?runId=${runId}`)).json<StatementView>();
    expect(json.adjustments.map((a) => a.adjustmentId)).toEqual([adjustmentId]);

    const [, ...rows]: string[][] = parseCsv((await get(f.seller, `/api/comp/statements/${runId}/${f.P.a}.csv`)).body);
    expect(sectionRows(rows, 'adjustment')).toEqual([
      [
        'adjustment',
        '2027-01-01',
        '2027-04-01',
        'EUR',
        '',
        'dispute',
        '',
        '',
        '',
        '',
        '',
        '50.00',
        `${dispute.reference}: =T2 split 70/30`,
        bookedOn,
        dispute.reference,
      ],
    ]);
    expect(sectionRows(rows, 'payout_line').reduce((a, row) => a + Number(row[column('amount')]), 0)).toBeCloseTo(510, 2);
    expect(rows.filter((row) => row[0]?.includes('total')).map((row) => [row[0], row[column('amount')]])).toEqual([
      ['statement_total', '510.00'],
      ['adjustments_total', '50.00'],
      ['total_including_adjustments', '560.00'],
    ]);

    const pdf = await get(f.seller, `/api/comp/statements/${runId}/${f.P.a}.pdf`);
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain('Statement total 510.00 EUR over 1 payout period');
    expect(text).toContain('Adjustments 50.00 EUR (1 booked in the commission periods of this run)');
    expect(text).toContain('Total including adjustments 560.00 EUR');
    expect(text).toContain(bookedOn);
    expect(text).toContain(dispute.reference);
    expect(text).toContain('50.00 EUR');
  });
});

describe('statement PDF', () => {
  it('is a PDF for whoever may see the statement', async () => {
    for (const [session, pid] of [
      [f.seller, f.P.a],
      [f.manager, f.P.a],
      [f.admin, f.P.c],
    ] as const) {
      const r = await get(session, `/api/comp/statements/${runId}/${pid}.pdf`);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      expect(r.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdfText(r.rawPayload)).toContain('Payout lines (EUR)');
    }
  });
});

describe('statement download visibility', () => {
  it('answers 404 to another seller, to a manager outside the chain and to partners, for both formats', async () => {
    for (const ext of ['csv', 'pdf']) {
      expect((await get(f.seller, `/api/comp/statements/${runId}/${f.P.c}.${ext}`)).statusCode).toBe(404);
      expect((await get(f.seller, `/api/comp/statements/${runId}/${f.P.b}.${ext}`)).statusCode).toBe(404);
      expect((await get(f.stranger, `/api/comp/statements/${runId}/${f.P.a}.${ext}`)).statusCode).toBe(404);
      expect((await get(f.manager, `/api/comp/statements/${runId}/${f.P.c}.${ext}`)).statusCode).toBe(404);
      expect((await get(f.partner, `/api/comp/statements/${runId}/${f.P.a}.${ext}`)).statusCode).toBe(404);
      expect((await get(f.admin, `/api/comp/statements/${runId}/${f.P.c}.${ext}`)).statusCode).toBe(200);
    }
  });
});
