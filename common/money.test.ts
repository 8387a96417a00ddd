import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMoney,
  allocate,
  amountMinor,
  applyBasisPoints,
  CurrencyMismatchError,
  divideRounded,
  minorUnitDigits,
  moneyOf,
  multiplyByRatio,
  parseMajorAmount,
  sumMoney,
  subtractMoney,
  type RoundingMode,
} from './money.ts';

const usd = (n: number) => moneyOf(n, 'USD');

describe('divideRounded', () => {
  // numerator, denominator, then the result for half_even, half_up, down, up
  const table: [bigint, bigint, bigint, bigint, bigint, bigint][] = [
    [6n, 3n, 2n, 2n, 2n, 2n],
    [-6n, 3n, -2n, -2n, -2n, -2n],
    [0n, 7n, 0n, 0n, 0n, 0n],
    [5n, 2n, 2n, 3n, 2n, 3n], // 2.5
    [7n, 2n, 4n, 4n, 3n, 4n], // 3.5
    [-5n, 2n, -2n, -3n, -2n, -3n], // -2.5: half away from zero for half_up
    [-7n, 2n, -4n, -4n, -3n, -4n], // -3.5
    [1n, 2n, 0n, 1n, 0n, 1n], // 0.5
    [-1n, 2n, 0n, -1n, 0n, -1n], // -0.5
    [1n, 3n, 0n, 0n, 0n, 1n], // 0.333
    [2n, 3n, 1n, 1n, 0n, 1n], // 0.667
    [-1n, 3n, 0n, 0n, 0n, -1n],
    [-2n, 3n, -1n, -1n, 0n, -1n],
    [25n, 10n, 2n, 3n, 2n, 3n], // 2.5
    [35n, 10n, 4n, 4n, 3n, 4n], // 3.5
    [-25n, 10n, -2n, -3n, -2n, -3n],
    [26n, 10n, 3n, 3n, 2n, 3n],
    [-24n, 10n, -2n, -2n, -2n, -3n],
    [10n ** 30n + 5n, 10n, 10n ** 29n, 10n ** 29n + 1n, 10n ** 29n, 10n ** 29n + 1n], // beyond 2^53, still exact
  ];
  const modes: RoundingMode[] = ['half_even', 'half_up', 'down', 'up'];
  for (const [n, d, ...expected] of table) {
    modes.forEach((mode, i) => {
      it(`${n} / ${d} rounded ${mode} is ${expected[i]}`, () => {
        expect(divideRounded(n, d, mode)).toBe(expected[i]);
      });
    });
  }

  it('refuses a zero or negative denominator', () => {
    expect(() => divideRounded(1n, 0n, 'down')).toThrow(RangeError);
    expect(() => divideRounded(1n, -2n, 'down')).toThrow(RangeError);
  });

  it('never moves more than one unit from the exact quotient, and `down`/`up` bracket it', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const down = divideRounded(n, d, 'down');
        const up = divideRounded(n, d, 'up');
        for (const mode of modes) {
          const r = divideRounded(n, d, mode);
          expect(r === down || r === up).toBe(true);
        }
        // half modes are within half a unit: |r*d - n| * 2 <= d
        for (const mode of ['half_even', 'half_up'] as const) {
          const diff = divideRounded(n, d, mode) * d - n;
          expect((diff < 0n ? -diff : diff) * 2n <= d).toBe(true);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('multiplyByRatio and applyBasisPoints', () => {
  const table: [number, number, RoundingMode, number][] = [
    [10_000, 250, 'half_even', 250], // 2.5% of $100
    [1, 5000, 'half_even', 0], // 0.5 cent
    [1, 5000, 'half_up', 1],
    [3, 5000, 'half_even', 2], // 1.5 -> 2
    [-1, 5000, 'half_up', -1],
    [-1, 5000, 'half_even', 0],
    [-3, 5000, 'half_even', -2],
    [999, 3333, 'down', 332],
    [999, 3333, 'up', 333],
    [-999, 3333, 'down', -332],
    [123_456_789, 10_000, 'half_even', 123_456_789],
  ];
  for (const [amount, bp, mode, expected] of table) {
    it(`${bp} bp of ${amount} rounded ${mode} is ${expected}`, () => {
      expect(applyBasisPoints(usd(amount), bp, mode)).toEqual(usd(expected));
    });
  }
  it('refuses fractional basis points and results beyond safe integers', () => {
    expect(() => applyBasisPoints(usd(100), 2.5, 'down')).toThrow(RangeError);
    expect(() => multiplyByRatio(usd(Number.MAX_SAFE_INTEGER), 3, 1, 'down')).toThrow(RangeError);
  });
  it('keeps the currency', () => {
    expect(multiplyByRatio(moneyOf(100, 'EUR'), 1, 3, 'half_even')).toEqual(moneyOf(33, 'EUR'));
  });
});

describe('allocate (largest remainder)', () => {
  const table: [number, number[], number[]][] = [
    [100, [1, 1, 1], [34, 33, 33]],
    [-100, [1, 1, 1], [-34, -33, -33]],
    [5, [1, 1], [3, 2]], // a tie goes to the earlier weight
    [-5, [1, 1], [-3, -2]],
    [1, [1, 1, 1], [1, 0, 0]],
    [2, [1, 1, 1], [1, 1, 0]],
    [1, [0, 1], [0, 1]],
    [10, [3, 7], [3, 7]],
    [0, [1, 2], [0, 0]],
    [101, [1, 2, 2], [20, 41, 40]], // remainders 0.2, 0.4, 0.4: the tie among the largest goes to the earlier
    [7, [1, 1, 1, 1], [2, 2, 2, 1]],
    [-7, [1, 1, 1, 1], [-2, -2, -2, -1]],
    [1000, [5000, 3000, 2000], [500, 300, 200]],
    [1, [1, 3], [0, 1]], // 0.25 vs 0.75
  ];
  for (const [amount, weights, expected] of table) {
    it(`${amount} split ${weights.join(':')} is ${expected.join(', ')}`, () => {
      expect(allocate(usd(amount), weights)).toEqual(expected.map(usd));
    });
  }

  it('parts always sum to the whole, each within one unit of its exact share, same sign as the whole', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }).filter((w) => w.some((x) => x > 0)),
        (amount, weights) => {
          const parts = allocate(usd(amount), weights);
          expect(parts).toHaveLength(weights.length);
          expect(parts.reduce((a, p) => a + p.amountMinor, 0)).toBe(amount);
          const total = weights.reduce((a, b) => a + b, 0);
          parts.forEach((p, i) => {
            const exact = (amount * (weights[i] ?? 0)) / total;
            expect(Math.abs(p.amountMinor - exact)).toBeLessThan(1 + 1e-6);
            if (amount >= 0) expect(p.amountMinor).toBeGreaterThanOrEqual(0);
            else expect(p.amountMinor).toBeLessThanOrEqual(0);
            expect(p.currency).toBe('USD');
          });
          // Negating the whole negates every part (rounding is symmetric around zero).
          expect(allocate(usd(-amount), weights).map((p) => p.amountMinor)).toEqual(parts.map((p) => -p.amountMinor || 0));
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it('refuses empty, negative, fractional and all-zero weights', () => {
    expect(() => allocate(usd(1), [])).toThrow(RangeError);
    expect(() => allocate(usd(1), [1, -1])).toThrow(RangeError);
    expect(() => allocate(usd(1), [0.5, 1])).toThrow(RangeError);
    expect(() => allocate(usd(1), [0, 0])).toThrow(RangeError);
  });
});

describe('parseMajorAmount', () => {
  const ok: [string, string, number][] = [
    ['1234.5', 'USD', 123_450],
    ['1234.56', 'USD', 123_456],
    ['0.01', 'USD', 1],
    ['-0.01', 'USD', -1],
    ['-12', 'USD', -1200],
    [' 7 ', 'USD', 700],
    ['0', 'EUR', 0],
    ['007.10', 'EUR', 710],
    ['12', 'JPY', 12],
    ['1.234', 'BHD', 1234],
    ['1.2', 'KWD', 1200],
    ['90071992547409.91', 'USD', Number.MAX_SAFE_INTEGER],
  ];
  for (const [text, currency, expected] of ok) {
    it(`"${text}" ${currency} is ${expected} minor units`, () => {
      expect(parseMajorAmount(text, currency)).toBe(expected);
    });
  }
  const bad: [string, string][] = [
    ['', 'USD'],
    ['abc', 'USD'],
    ['1.2.3', 'USD'],
    ['1,5', 'USD'],
    ['1e3', 'USD'],
    ['+5', 'USD'],
    ['.5', 'USD'],
    ['5.', 'USD'],
    ['--5', 'USD'],
    ['1.234', 'USD'], // too many decimals
    ['1.5', 'JPY'],
    ['1.2345', 'BHD'],
    ['90071992547409.92', 'USD'], // one past the largest safe integer
    ['Infinity', 'USD'],
    ['NaN', 'USD'],
  ];
  for (const [text, currency] of bad) {
    it(`refuses "${text}" in ${currency}`, () => {
      expect(() => parseMajorAmount(text, currency)).toThrow(RangeError);
    });
  }
  it('knows the minor digits of common currencies', () => {
    expect([minorUnitDigits('USD'), minorUnitDigits('JPY'), minorUnitDigits('BHD')]).toEqual([2, 0, 3]);
  });
});

describe('currencies never mix', () => {
  it('add, subtract and sum throw on a mismatch', () => {
    expect(() => addMoney(usd(1), moneyOf(1, 'EUR'))).toThrow(CurrencyMismatchError);
    expect(() => subtractMoney(usd(1), moneyOf(1, 'EUR'))).toThrow(CurrencyMismatchError);
    expect(() => sumMoney([usd(1), moneyOf(1, 'EUR')], 'USD')).toThrow(CurrencyMismatchError);
    expect(() => sumMoney([moneyOf(1, 'EUR')], 'USD')).toThrow(CurrencyMismatchError);
  });
  it('add, subtract and sum work in one currency and stay exact', () => {
    expect(addMoney(usd(10), usd(-3))).toEqual(usd(7));
    expect(subtractMoney(usd(10), usd(13))).toEqual(usd(-3));
    expect(sumMoney([usd(1), usd(2), usd(3)], 'USD')).toEqual(usd(6));
    expect(sumMoney([], 'USD')).toEqual(usd(0));
    expect(() => addMoney(usd(Number.MAX_SAFE_INTEGER), usd(1))).toThrow(RangeError);
  });
  it('amounts are integers of minor units', () => {
    expect(() => moneyOf(1.5, 'USD')).toThrow(RangeError);
    expect(() => moneyOf(Number.NaN, 'USD')).toThrow(RangeError);
  });
});

describe('the amountMinor schema', () => {
  const cases: [unknown, boolean][] = [
    [0, true],
    [-125, true],
    [Number.MAX_SAFE_INTEGER, true],
    [1.5, false],
    [2 ** 53, false],
    ['100', false],
    [null, false],
    [Number.POSITIVE_INFINITY, false],
    [Number.NaN, false],
  ];
  for (const [value, valid] of cases) {
    it(`${String(value)} is ${valid ? 'accepted' : 'refused'}`, () => {
      expect(amountMinor.safeParse(value).success).toBe(valid);
    });
  }
});
