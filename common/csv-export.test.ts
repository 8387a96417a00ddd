import { describe, expect, it } from 'vitest';
import { neutraliseFormula, safeCsv } from './csv-export.ts';
import { formatMajorAmount } from './money.ts';

describe('payroll cells', () => {
  it('neutralises formula cells and writes amounts as plain numbers', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseFormula(s)).toBe(`'${s}`);
    expect(neutraliseFormula('Ann')).toBe('Ann');
    expect(formatMajorAmount(-1_250, 'EUR')).toBe('-12.50');
    expect(formatMajorAmount(5, 'EUR')).toBe('0.05');
    expect(formatMajorAmount(-5, 'EUR')).toBe('-0.05');
    expect(formatMajorAmount(1234, 'JPY')).toBe('1234');
    expect(formatMajorAmount(1, 'KWD')).toBe('0.001');
    expect(safeCsv(['a'], [['-3', { number: '-3' }]])).toBe('a\r\n"\'-3",-3\r\n');
  });

  it('quotes delimiters, quotes and line breaks', () => {
    expect(safeCsv(['h'], [['a,b', 'say "hi"', 'x\ny', 'x\ry', null, 1.5]])).toBe('h\r\n"a,b","say ""hi""","x\ny","x\ry",,1.5\r\n');
  });
});
