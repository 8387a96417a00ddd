import { describe, expect, it } from 'vitest';
import { addDays, dateOf, daysBetween, isIsoDate, isoDate } from './dates.ts';

describe('isIsoDate and the isoDate schema', () => {
  const cases: [string, boolean][] = [
    ['2026-01-31', true],
    ['2024-02-29', true], // leap year
    ['2000-02-29', true], // divisible by 400
    ['1900-02-29', false], // divisible by 100 only
    ['2023-02-29', false],
    ['2026-02-30', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['2026-1-01', false],
    ['26-01-01', false],
    ['2026-01-01T00:00:00Z', false],
    [' 2026-01-01', false],
    ['2026/01/01', false],
    ['', false],
    ['9999-12-31', true],
    ['1970-01-01', true],
  ];
  for (const [value, valid] of cases) {
    it(`"${value}" is ${valid ? 'a date' : 'not a date'}`, () => {
      expect(isIsoDate(value)).toBe(valid);
      const parsed = isoDate.safeParse(value);
      expect(parsed.success).toBe(valid);
      if (!parsed.success) expect(parsed.error.issues[0]?.message).toBe('must be a calendar date written YYYY-MM-DD');
    });
  }
  it('the schema refuses non-strings', () => {
    expect(isoDate.safeParse(20260101).success).toBe(false);
    expect(isoDate.safeParse(new Date()).success).toBe(false);
    expect(isoDate.safeParse(null).success).toBe(false);
  });
});

describe('addDays', () => {
  const cases: [string, number, string][] = [
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2024-12-31', 1, '2025-01-01'],
    ['2025-01-01', -1, '2024-12-31'],
    ['2026-03-28', 2, '2026-03-30'], // across a European DST change: dates have no time zone
    ['2026-10-24', 7, '2026-10-31'],
    ['2026-01-15', 0, '2026-01-15'],
    ['2026-01-01', 365, '2027-01-01'],
    ['2024-01-01', 366, '2025-01-01'],
  ];
  for (const [from, days, expected] of cases) {
    it(`${from} + ${days} days is ${expected}`, () => {
      expect(addDays(from, days)).toBe(expected);
    });
  }
  it('refuses something that is not a date', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });
});

describe('daysBetween', () => {
  const cases: [string, string, number][] = [
    ['2026-01-01', '2026-01-01', 0],
    ['2026-01-01', '2026-01-02', 1],
    ['2026-01-02', '2026-01-01', -1],
    ['2024-01-01', '2025-01-01', 366],
    ['2025-01-01', '2026-01-01', 365],
    ['2026-03-28', '2026-03-30', 2],
    ['2026-10-24', '2026-10-26', 2],
  ];
  for (const [from, to, expected] of cases) {
    it(`${from} -> ${to} is ${expected} days`, () => {
      expect(daysBetween(from, to)).toBe(expected);
    });
  }
  it('is the inverse of addDays', () => {
    for (const d of [-800, -1, 0, 1, 59, 60, 1000]) expect(daysBetween('2024-02-29', addDays('2024-02-29', d))).toBe(d);
  });
  it('refuses something that is not a date', () => {
    expect(() => daysBetween('2026-01-01', 'tomorrow')).toThrow(RangeError);
  });
});

describe('dateOf', () => {
  it('is the UTC calendar date of an instant', () => {
    expect(dateOf(new Date('2026-03-29T23:30:00-02:00'))).toBe('2026-03-30');
    expect(dateOf(new Date('2026-03-30T00:30:00+02:00'))).toBe('2026-03-29');
    expect(dateOf(new Date('2026-12-31T23:59:59.999Z'))).toBe('2026-12-31');
  });
});
