import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculatePeriod } from '../../../common/comp/engine.ts';
import { bucket, commission, makePlan, periodInput } from '../../../common/comp/engine-test-support.ts';
import { canonicalBuckets, canonicalJson, canonicalLines } from './runs.service.ts';

/** The field-by-field writers of a result's buckets and lines give canonicalJson's text, byte for byte (or fall back to it). */
describe('canonical buckets and lines', () => {
  const text = fc.oneof(fc.constant(null), fc.string(), fc.constantFrom('a"b', 'é\u0000\u2028', '\\'));
  const int = fc.maxSafeInteger();
  const aBucket = fc.record({
    kind: fc.constantFrom('direct', 'split', 'rollup', 'overlay'),
    sourcing: fc.constantFrom('direct', 'partner_sourced', 'partner_influenced'),
    product: text,
    scenario: text,
    segment: text,
    clawback: fc.boolean(),
    spiffKeys: fc.array(fc.string(), { maxLength: 3 }),
    creditMinor: int,
    deals: int,
  });
  const aLine = fc.record({
    componentKey: fc.string(),
    componentName: fc.string(),
    kind: fc.constantFrom('earning', 'cap', 'clawback'),
    basisMinor: fc.oneof(fc.constant(null), int),
    rateBps: fc.oneof(fc.constant(null), int),
    multiplierBps: int,
    tier: fc.oneof(fc.constant(null), fc.record({ fromBps: int, toBps: fc.oneof(fc.constant(null), int) })),
    bucketIndexes: fc.array(fc.nat(), { maxLength: 4 }),
    amountMinor: int,
    explanation: fc.string(),
  });
  // Other shapes (an extra key, a key missing or undefined) take canonicalJson's path.
  const odd = fc.oneof(
    aLine.map((l) => ({ ...l, extra: 1 })),
    aBucket.map((b) => ({ ...b, product: undefined })),
    aBucket.map(({ deals: _, ...b }) => b),
    aLine.map((l) => ({ ...l, tier: { fromBps: 1, toBps: null, x: 2 } })),
  );

  it('writes what canonicalJson writes', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(aBucket, odd)), fc.array(fc.oneof(aLine, odd)), (buckets, lines) => {
        expect(canonicalBuckets(buckets)).toBe(canonicalJson(buckets));
        expect(canonicalLines(lines)).toBe(canonicalJson(lines));
      }),
      { numRuns: 300 },
    );
  });

  it('writes the engine results as canonicalJson does, and refuses what it refuses', () => {
    const plan = makePlan([commission()]);
    const buckets = [bucket({ creditMinor: 123_456 }), bucket({ sourcing: 'partner_sourced', creditMinor: 50_000, deals: 2 })];
    const result = calculatePeriod(plan, periodInput({ buckets }));
    expect(result.lines.length).toBeGreaterThan(0);
    expect(canonicalLines(result.lines)).toBe(canonicalJson(result.lines));
    expect(canonicalBuckets(buckets)).toBe(canonicalJson(buckets));
    expect(() => canonicalBuckets([{ ...bucket(), creditMinor: 0.5 }])).toThrow(RangeError);
    expect(() => canonicalLines([{ ...result.lines[0], amountMinor: 2 ** 60 }])).toThrow(RangeError);
  });
});
