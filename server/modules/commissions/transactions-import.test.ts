import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transactionColumns, transactionRow } from '../../../common/comp/transaction-row.ts';
import {
  checkedFileRows,
  csvRecords,
  detectDelimiter,
  headerNames,
  mappingProblems,
  proposeMapping,
  quickTransactionRow,
  RowSet,
  scanRows,
  type ImportLookups,
  type SourceRecord,
} from './transactions-import.ts';

async function* bytes(text: string, pieceSize = text.length): AsyncGenerator<Uint8Array> {
  const all = Buffer.from(text, 'utf8');
  for (let i = 0; i < all.length; i += pieceSize) yield all.subarray(i, i + pieceSize);
}

async function records(text: string, pieceSize?: number): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const batch of csvRecords(bytes(text, pieceSize))) out.push(...batch);
  return out;
}

const lookups: ImportLookups = {
  participantIdByRef: new Map([
    ['S1', '00000000-0000-4000-8000-000000000001'],
    ['S2', '00000000-0000-4000-8000-000000000002'],
    ['S3', '00000000-0000-4000-8000-000000000003'],
  ]),
  partnerIdByName: new Map([['acme resellers', '00000000-0000-4000-8000-0000000000aa']]),
};

describe('CSV reading', () => {
  const text = '\uFEFFid,note,amount\r\nT1,"a, b",10\r\n\r\nT2,"two\nlines ""quoted""",20\nT3,plain,30';

  it('reads quoted cells, blank lines, CRLF and a BOM; a multi-line cell keeps its first line', async () => {
    const r = await records(text);
    expect(r).toEqual([
      { line: 1, cells: ['id', 'note', 'amount'] },
      { line: 2, cells: ['T1', 'a, b', '10'] },
      { line: 4, cells: ['T2', 'two\nlines "quoted"', '20'] },
      { line: 6, cells: ['T3', 'plain', '30'] },
    ]);
  });

  it('gives the same records whatever size the pieces of the stream have', async () => {
    const whole = await records(text);
    for (const size of [1, 2, 3, 5, 7, 13]) expect(await records(text, size)).toEqual(whole);
  });

  it('judges the delimiter on the header line', async () => {
    expect(detectDelimiter('a;b;"c,d";e')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('a,b')).toBe(',');
    expect(await records('Amount;Salesperson\n"1.234,00";S1:60;S2:40\n')).toEqual([
      { line: 1, cells: ['Amount', 'Salesperson'] },
      { line: 2, cells: ['1.234,00', 'S1:60', 'S2:40'] },
    ]);
  });

  it('counts a line break inside a cell once, CRLF or not, for the lines of the records after it', async () => {
    const r = await records('id,note\r\nT1,"crlf\r\ninside"\r\nT2,"lf\ninside"\nT3,"café ☕"\nT4,x');
    expect(r.map((x) => [x.line, x.cells[0]])).toEqual([
      [1, 'id'],
      [2, 'T1'],
      [4, 'T2'],
      [6, 'T3'],
      [7, 'T4'],
    ]);
    // Multi-byte characters split between pieces of the stream.
    expect(await records('id,note\r\nT1,"crlf\r\ninside"\r\nT2,"lf\ninside"\nT3,"café ☕"\nT4,x', 1)).toEqual(r);
  });

  it('refuses a quoted cell that never closes', async () => {
    await expect(records('a,b\n"open,1\n')).rejects.toThrow(/never closed/);
  });

  it('makes blank and repeated header names unique', () => {
    expect(headerNames(['Amount', '', 'amount', 'Amount'])).toEqual(['Amount', 'Column 2', 'amount (2)', 'Amount (3)']);
  });
});

describe('the proposed column mapping', () => {
  it('maps exact names, any case, then synonyms', () => {
    const m = proposeMapping(['Order ID', 'Type', 'Order date', 'Amount', 'Currency', 'Salesperson', 'Reseller', 'Customer', 'Region', 'Notes']);
    expect(m).toEqual({
      transaction_id: 'Order ID',
      kind: 'Type',
      recognised_on: 'Order date',
      amount: 'Amount',
      currency: 'Currency',
      sellers: 'Salesperson',
      partner: 'Reseller',
      end_customer: 'Customer',
      territory: 'Region',
    });
  });

  it('prefers a canonical name over a synonym of another column', () => {
    // "Territory" is the territory; "Region" is only its synonym and stays unused.
    const m = proposeMapping(['TRANSACTION_ID', 'Recognised On', 'Territory', 'Region', 'Value']);
    expect(m).toMatchObject({ transaction_id: 'TRANSACTION_ID', recognised_on: 'Recognised On', territory: 'Territory', amount: 'Value' });
    expect(Object.values(m)).not.toContain('Region');
  });

  it('says what is wrong with a mapping', () => {
    expect(mappingProblems({ transaction_id: 'A', kind: 'A', amount: 'Nope' }, ['A', 'B']).map((p) => `${p.path} ${p.message}`)).toEqual([
      'mapping.kind "A" already feeds transaction_id',
      'mapping.amount "Nope" is not a column of the file',
      'mapping.recognised_on is required: choose the column that holds it',
      'mapping.currency is required: choose the column that holds it',
      'mapping.sellers is required: choose the column that holds it',
    ]);
  });
});

describe('checking rows', () => {
  const header = 'Order ID,Type,Order date,Amount,Currency,Salesperson,Overlay,Reseller,Sourcing';
  const file = [
    header,
    'T1,invoice,2026-03-01,"1,000.01",USD,S1:60;S2:40,S3,Acme Resellers,partner_sourced',
    'T2,invoice,2026-03-02,abc,USD,S1,,,',
    'T3,booking,2026-02-30,10,USD,S1,,,',
    'T4,invoice,2026-03-04,10,USD,S1:50;S2:40,,,',
    'T1,invoice,2026-03-05,10,USD,S1,,,',
    'T6,credit_note,2026-03-06,-5,USD,S2,,Unknown Partner,partner_influenced',
    'T7,booking,2026-03-07,10,USD,S9,,,',
  ].join('\n');

  it('reports every bad row with its line, column and reason, and splits good rows by largest remainder', async () => {
    const mapping = { ...proposeMapping(header.split(',')), overlays: 'Overlay' };
    const good: unknown[] = [];
    const scan = await scanRows(checkedFileRows(csvRecords(bytes(file)), mapping, lookups), {
      lookups,
      findStored: async () => [],
      onGoodChunk: async (txs) => void good.push(...txs),
    });
    expect(scan.counts).toEqual({ rows: 7, good: 2, bad: 5, alreadyStored: 0 });
    expect(scan.problems.map((p) => [p.line, p.column, p.message])).toEqual([
      [3, 'amount', '"abc" is not an amount'],
      [4, 'recognised_on', 'must be a calendar date written YYYY-MM-DD'],
      [5, 'sellers', 'splits add up to 90%, not 100%'],
      [6, 'transaction_id', 'repeats the transaction id of line 2'],
      [8, 'sellers', '"S9" is not a known participant'],
    ]);
    const [t1, t6] = good as { row: { transactionRef: string }; partnerId: string | null; partnerRef: string | null; lines: unknown[] }[];
    expect(t1?.partnerId).toBe('00000000-0000-4000-8000-0000000000aa');
    expect(t1?.lines).toEqual([
      { participantId: '00000000-0000-4000-8000-000000000001', role: 'seller', amountMinor: 60_001, splitBps: 6000 },
      { participantId: '00000000-0000-4000-8000-000000000002', role: 'seller', amountMinor: 40_000, splitBps: 4000 },
      { participantId: '00000000-0000-4000-8000-000000000003', role: 'overlay', amountMinor: 100_001, splitBps: 10_000 },
    ]);
    expect(t6).toMatchObject({ partnerId: null, partnerRef: 'Unknown Partner' });
  });

  it('tells which data rows are not to be stored: bad, repeated or already stored', async () => {
    const mapping = { ...proposeMapping(header.split(',')), overlays: 'Overlay' };
    const notToStore = new RowSet();
    await scanRows(checkedFileRows(csvRecords(bytes(file)), mapping, lookups), {
      lookups,
      notToStore,
      // T6 is stored already with the same content: a replay, not stored again.
      findStored: async (refs) =>
        refs.includes('T6')
          ? [
              {
                transactionRef: 'T6',
                participantId: '00000000-0000-4000-8000-000000000002',
                role: 'seller',
                kind: 'credit_note',
                recognisedOn: '2026-03-06',
                amountMinor: -500,
                dealAmountMinor: -500,
                currency: 'USD',
                splitBps: 10_000,
                sourcing: 'partner_influenced',
                partnerId: null,
                partnerRef: 'Unknown Partner',
                product: null,
                scenario: null,
                segment: null,
                originalRecognisedOn: null,
                endCustomer: null,
                territory: null,
              },
            ]
          : [],
    });
    expect(Array.from({ length: 8 }, (_, i) => i + 1).filter((row) => notToStore.has(row))).toEqual([2, 3, 4, 5, 6, 7]);
    expect(new RowSet(notToStore.toBuffer()).has(7)).toBe(true);
  });
});

describe('the quick row check', () => {
  // Cells mostly within the rules (so whole rows often pass), sometimes just over an edge.
  const pad = (values: string[]) =>
    fc.tuple(fc.constantFrom('', ' ', '  '), fc.constantFrom(...values), fc.constantFrom('', ' ')).map(([a, v, b]) => a + v + b);
  const field = (good: fc.Arbitrary<string>, edge: fc.Arbitrary<string>) => fc.oneof({ arbitrary: good, weight: 40 }, { arbitrary: edge, weight: 1 });
  const cell = {
    transaction_id: field(pad(['T1', 'INV-42', 'x'.repeat(120)]), fc.oneof(pad(['', 'x'.repeat(121)]), fc.string({ maxLength: 8 }))),
    kind: field(
      fc.constantFrom('booking', 'invoice', 'credit_note', 'cancellation'),
      fc.oneof(fc.constantFrom('Invoice', ' invoice', ''), fc.string({ maxLength: 4 })),
    ),
    recognised_on: field(fc.constantFrom('2026-03-01', '2024-02-29'), fc.constantFrom('2026-02-29', '2026-13-01', ' 2026-03-01', '2026-3-1', '')),
    amount: field(
      fc.oneof(
        pad(['10', '-10', '0', '1.5', '-0.01']),
        fc.integer({ min: -100_000, max: 100_000 }).map((n) => (n / 100).toFixed(2)),
      ),
      pad(['1.234', '12.', 'abc', '', '9'.repeat(17), '1'.repeat(41)]),
    ),
    currency: field(pad(['USD', 'usd', 'JPY', 'KWD']), pad(['EURO', 'E1R', ''])),
    product: field(pad(['', 'Widget']), pad(['p'.repeat(121)])),
    scenario: field(pad(['', 'renewal']), pad(['s'.repeat(61)])),
    segment: field(pad(['', 'smb']), pad(['g'.repeat(61)])),
    sourcing: field(pad(['', 'direct', 'partner_sourced', 'partner_influenced']), pad(['Direct', 'other'])),
    partner: field(pad(['', 'Acme Resellers']), pad(['q'.repeat(201)])),
    sellers: field(
      pad(['S1', 'S1:60;S2:40', 'S1:60; S2:40;', 'S1:100', 'S1:33.33;S2:66.67']),
      pad(['S1:50;S2:40', 'S1;S2', 'S1:0', 'S1:60;S1:40', '', ';', ':50', 'S1:33.333;S2:66.667']),
    ),
    overlays: field(pad(['', 'S3', 'S3; S4', ';;', 'S1']), pad(['o'.repeat(2001)])),
    original_recognised_on: field(pad(['', '2026-01-31']), pad(['2026-02-31', 'soon'])),
    end_customer: field(pad(['', 'Globex']), pad(['c'.repeat(201)])),
    territory: field(pad(['', 'EMEA']), pad(['t'.repeat(121)])),
  } as const;
  const cells = fc
    .tuple(
      fc.record(cell, { requiredKeys: ['transaction_id', 'kind', 'recognised_on', 'amount', 'currency', 'sellers'] }),
      fc.record(cell, { requiredKeys: [] }),
      fc.option(fc.constantFrom('notes', 'Amount'), { nil: undefined, freq: 10 }),
      fc.boolean(),
      fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
    )
    .map(([complete, sparse, extra, useSparse, coherent]) => {
      const c: Record<string, string> = { ...(useSparse && sparse.transaction_id === undefined ? sparse : complete) };
      if (coherent && c.amount !== undefined) {
        // Mostly the sign the kind asks for, and a partner when the sourcing needs one.
        const refund = c.kind === 'credit_note' || c.kind === 'cancellation';
        const digits = c.amount.replace('-', '');
        c.amount = refund ? `-${digits.trim()}` : digits;
        if (c.sourcing?.trim().startsWith('partner') && !c.partner?.trim()) c.partner = 'Acme Resellers';
        if (c.currency?.trim().toUpperCase() === 'JPY') c.currency = 'USD';
      }
      if (extra !== undefined) c[extra] = 'x';
      return c;
    });

  it('answers what the row schema answers: the same row when it passes, nothing when it does not', () => {
    let passed = 0;
    fc.assert(
      fc.property(cells, (c) => {
        const quick = quickTransactionRow(c);
        const schema = transactionRow.safeParse(c);
        expect(quick !== null).toBe(schema.success);
        if (schema.success) {
          passed++;
          expect(quick).toEqual(schema.data);
        }
      }),
      { numRuns: 5000 },
    );
    // The generator must reach both answers often enough for the comparison to mean something.
    expect(passed).toBeGreaterThan(250);
    expect(transactionColumns.length).toBe(15);
  });
});
