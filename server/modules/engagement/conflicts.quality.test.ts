import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleSetContent } from '../../../common/api/rules.ts';
import { systemActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { createTestDeps, type TestDeps } from '../../test/test-db.ts';
import { normaliseAccountName } from '../accounts/accounts.service.ts';
import { compareNames } from './conflicts.repository.ts';
import { matchQuality, nameMatchingFixture } from './conflicts.quality-fixture.ts';

let t: TestDeps;
beforeAll(async () => {
  t = await createTestDeps();
});
afterAll(async () => t.close());

/** The default threshold of the rules of the road, read from the contract rather than repeated. */
const defaultThreshold = ruleSetContent.shape.conflicts.shape.nameSimilarity.parse(undefined);

describe('end-customer name matching quality', () => {
  it('is deterministic and labelled half and half, with hard non-matches', () => {
    const a = nameMatchingFixture(2000);
    expect(nameMatchingFixture(2000)).toEqual(a);
    expect(a.filter((p) => p.match)).toHaveLength(1000);
    const hard = a.filter((p) => !p.match && p.kind !== 'different').length;
    expect(hard).toBeGreaterThan(600);
    expect(a).toContainEqual(expect.objectContaining({ kind: 'shared_common_word', match: false }));
  });

  it('reaches recall >= 99% and precision >= 95% on 10,000 pairs through the database', async () => {
    const pairs = nameMatchingFixture(10_000);
    const results = await inTransaction(t.deps, systemActor('test'), (trx) =>
      compareNames(
        trx,
        pairs.map((p) => ({ a: normaliseAccountName(p.a), b: normaliseAccountName(p.b) })),
        defaultThreshold,
      ),
    );
    const q = matchQuality(
      pairs,
      results.map((r) => r.match),
    );
    expect(q.pairs).toBe(10_000);
    expect(q.recall).toBeGreaterThanOrEqual(0.99);
    expect(q.precision).toBeGreaterThanOrEqual(0.95);
    // The index operator decides as the similarity says (away from the float4 rounding at the threshold).
    const clear = results.filter((r) => Math.abs(r.similarity - defaultThreshold) > 1e-6);
    expect(clear.every((r) => r.match === r.similarity >= defaultThreshold)).toBe(true);
  });

  it('matches the examples of the issue and keeps the hard non-matches apart', async () => {
    const examples = [
      ['Acme Corp', 'ACME Corporation Inc.', true],
      ['Müller Bau GmbH', 'Bau Müller', true],
      ['The Harlow Freight Group', 'Harlow Freight', true],
      ['Johnson & Johnson', 'Johnson and Johnson Intl', true],
      ['Global Logistics Ltd', 'Global Finance Ltd', false],
      ['Harlow Freight Group', 'Kestrel Freight Group', false],
    ] as const;
    const results = await inTransaction(t.deps, systemActor('test'), (trx) =>
      compareNames(
        trx,
        examples.map(([a, b]) => ({ a: normaliseAccountName(a), b: normaliseAccountName(b) })),
        defaultThreshold,
      ),
    );
    expect(results.map((r) => r.match)).toEqual(examples.map((e) => e[2]));
  });
});
