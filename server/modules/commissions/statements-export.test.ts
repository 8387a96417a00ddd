import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommissionRunView, StatementView } from '../../../common/api/commissions-runs.ts';
import { statementCsv, STATEMENT_CSV_HEADER } from './statements-export.render.ts';
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

describe('statement CSV', () => {
  it('holds one row per payout line of the JSON statement, amounts in major units', async () => {
    const json = (await get(f.seller, `/api/comp/statements?runId=${runId}`)).json<StatementView>();
    const r = await get(f.seller, `/api/comp/statements/${runId}/${f.P.a}.csv`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="statement-${f.P.a}-${runId}.csv"`);
    const [header, ...rows]: string[][] = parseCsv(r.body);
    expect(header).toEqual([...STATEMENT_CSV_HEADER]);
    const expected = json.periods.flatMap((p) =>
      p.lines.map((l) => [
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
      ]),
    );
    expect(expected.length).toBeGreaterThan(1);
    expect(rows).toEqual(expected);
    // Hand-derived (runs.test-support.ts): A's Q1 pays 560.00 - 50.00 = 510.00 EUR.
    expect(rows.reduce((a, row) => a + Number(row[10]), 0)).toBeCloseTo(510, 2);
    expect(rows.some((row) => row[10]?.startsWith('-'))).toBe(true); // the clawback stays a number
  });

  it('neutralises text cells a spreadsheet would read as a formula, not negative amounts', () => {
    const s: StatementView = {
      runId: f.P.a,
      runStatus: 'completed',
      participantId: f.P.a,
      participantName: 'X',
      adjustments: [],
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
    const [, row]: string[][] = parseCsv(csv);
    expect(row?.[3]).toBe(`'=HYPERLINK("http://x.test","y")`);
    expect(row?.[11]).toBe(`'@SUM(A1)`);
    expect(row?.slice(5, 11)).toEqual(['-125.00', '0.1', '1.25', '', '', '-12.50']);
    expect(csv.split('\r\n')[1]).toContain(',-125.00,0.1,1.25,,,-12.50,');
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
