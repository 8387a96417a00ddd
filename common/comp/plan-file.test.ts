import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLAN_FORMAT, planDocument, type PlanDocument, type PlanDocumentInput } from './plan.ts';
import { formatPath, parsePlanFile, planJsonSchema, stringifyPlan, type PlanFileProblem } from './plan-file.ts';

const MINIMAL = `format: realign.comp-plan/v1
key: simple
name: Simple plan
currency: USD
effectiveFrom: 2027-01-01
components:
  - key: commission
    name: Commission
    kind: commission
    rateBps: 250
`;

function problemsOf(text: string, format: 'yaml' | 'json' | 'auto' = 'auto'): PlanFileProblem[] {
  const r = parsePlanFile(text, format);
  if ('plan' in r) throw new Error('expected problems, the plan parsed');
  return r.problems;
}

function planOf(text: string, format: 'yaml' | 'json' | 'auto' = 'auto'): PlanDocument {
  const r = parsePlanFile(text, format);
  if ('problems' in r) throw new Error(JSON.stringify(r.problems));
  return r.plan;
}

describe('parsePlanFile', () => {
  it('reads a minimal YAML plan and fills the defaults', () => {
    const plan = planOf(MINIMAL);
    expect(plan.format).toBe(PLAN_FORMAT);
    expect(plan.payoutPeriod).toBe('quarter');
    expect(plan.crediting.partnerCredit).toBe('rules_of_the_road');
    expect(plan.components[0]).toMatchObject({ kind: 'commission', rateBps: 250, rateTable: [], capMinor: null });
  });

  it('reads the same plan written as JSON (auto-detected)', () => {
    const json = JSON.stringify({
      format: PLAN_FORMAT,
      key: 'simple',
      name: 'Simple plan',
      currency: 'USD',
      effectiveFrom: '2027-01-01',
      components: [{ key: 'commission', name: 'Commission', kind: 'commission', rateBps: 250 }],
    });
    expect(planOf(json)).toEqual(planOf(MINIMAL));
  });

  it('lists every problem with its path and line, unknown keys included', () => {
    const text = `format: realign.comp-plan/v1
key: Bad Key
name: n
currency: usd
effectiveFrom: 2027-01-01
colour: blue
components:
  - key: a
    name: A
    kind: commission
    rateBps: 20000
    bar: 2
  - key: b
    name: B
    kind: nope
  - key: c
    name: C
    kind: tiered
    mode: flat
    tiers:
      - fromBps: 0
        toBps: null
        rateBps: 1
      - { fromBps: high, toBps: null, rateBps: 1 }
`;
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['key', 2],
      ['currency', 4],
      ['colour', 6],
      ['components[0].rateBps', 11],
      ['components[0].bar', 12],
      ['components[1].kind', 15],
      ['components[2].tiers[1].fromBps', 24],
    ]);
    expect(problems.find((p) => p.path === 'colour')?.message).toBe('unknown key');
    expect(problems.find((p) => p.path === 'components[1].kind')?.message).toMatch(/unknown component kind: must be one of commission, tiered/);
  });

  it('points a missing key at the object it is missing from', () => {
    const problems = problemsOf(`format: realign.comp-plan/v1
key: k
name: n
currency: USD
effectiveFrom: 2027-01-01
components:
  - key: t
    name: T
    kind: tiered
    tiers:
      - { fromBps: 0, toBps: null, rateBps: 100 }
`);
    expect(problems).toEqual([{ path: 'components[0].mode', line: 7, message: expect.stringMatching(/^is required|Invalid option/) }]);
  });

  it("reports the plan's own checks (tier gaps, duplicate keys) with their lines", () => {
    const problems = problemsOf(`format: realign.comp-plan/v1
key: k
name: n
currency: USD
effectiveFrom: 2027-01-01
effectiveTo: 2026-01-01
components:
  - key: t
    name: T
    kind: tiered
    mode: marginal
    tiers:
      - { fromBps: 0, toBps: 5000, rateBps: 100 }
      - { fromBps: 6000, toBps: null, rateBps: 200 }
  - key: t
    name: T again
    kind: commission
    rateBps: 100
`);
    expect(problems).toEqual([
      { path: 'effectiveTo', line: 6, message: 'must be after effectiveFrom (2027-01-01)' },
      { path: 'components[0].tiers[1].fromBps', line: 14, message: 'leaves a gap after the tier before it (which ends at 5000 bp)' },
      { path: 'components[1].key', line: 15, message: 'duplicate key "t" (also components[0])' },
    ]);
  });

  it('keeps YAML syntax errors with their line', () => {
    const problems = problemsOf('format: realign.comp-plan/v1\nkey: [unclosed\nname: x\n', 'yaml');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.message).toMatch(/^not valid YAML/);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses duplicate keys in YAML', () => {
    const problems = problemsOf(`${MINIMAL}key: again\n`, 'yaml');
    expect(problems[0]).toMatchObject({ line: 11, message: expect.stringMatching(/not valid YAML: Map keys must be unique/) });
  });

  it('reports JSON syntax errors', () => {
    const problems = problemsOf('{\n  "format": "realign.comp-plan/v1",\n  "key": [\n}', 'json');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^not valid JSON/);
  });

  it('says a file must hold one object', () => {
    expect(problemsOf('- 1\n- 2\n', 'yaml')).toEqual([{ path: '', line: 1, message: expect.stringMatching(/holds one object/) }]);
    expect(problemsOf('', 'yaml')[0]?.message).toMatch(/holds one object/);
  });

  it('formats paths like components[2].tiers[1].fromBps', () => {
    expect(formatPath(['components', 2, 'tiers', 1, 'fromBps'])).toBe('components[2].tiers[1].fromBps');
    expect(formatPath([])).toBe('');
  });
});

// ---------------------------------------------------------------------------------------------
// Round trip: generated valid plans.

const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/);
const text = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }),
  fc.constantFrom('yes', 'no', 'null', '123', '0x1F', '- dash', 'a: b', '# hash', '"quoted"', "it's", '2027-01-01', 'Ünïcode ✓', '{x}', '[y]', '~'),
);
const name = text.map((s) => s.trim()).filter((s) => s.length > 0);
const attr = fc.option(fc.array(name, { minLength: 1, maxLength: 3 }), { nil: null });
const filter = fc.record({
  creditKinds: fc.uniqueArray(fc.constantFrom('direct', 'split', 'rollup' as const), { minLength: 1, maxLength: 3 }),
  products: attr,
  scenarios: attr,
  segments: attr,
  sourcings: fc.option(fc.uniqueArray(fc.constantFrom('direct', 'partner_sourced', 'partner_influenced' as const), { minLength: 1, maxLength: 3 }), {
    nil: null,
  }),
});
const bp = (max: number) => fc.integer({ min: 0, max });
/** Contiguous bands from 0, the last open-ended. */
const bands = fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 0, maxLength: 4 }).map((widths) => {
  const out: { fromBps: number; toBps: number | null }[] = [];
  let from = 0;
  for (const w of widths) {
    out.push({ fromBps: from, toBps: from + w });
    from += w;
  }
  out.push({ fromBps: from, toBps: null });
  return out;
});
const steps = fc.uniqueArray(fc.integer({ min: 1, max: 30_000 }), { maxLength: 4 }).map((xs) => [0, ...xs.sort((a, b) => a - b)]);
const gate = fc.option(
  fc.record({
    minAttainmentBps: fc.option(bp(20_000), { nil: null }),
    metrics: fc.array(fc.record({ metric: key, min: fc.integer({ min: -100, max: 100 }) }), { maxLength: 2 }),
  }),
  { nil: null },
);
const cap = fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null });
const base = { name, description: fc.constantFrom('', 'What it pays for.') };

const component = fc.oneof(
  fc.record({
    ...base,
    kind: fc.constant('commission' as const),
    credits: filter,
    rateBps: bp(10_000),
    rateTable: fc.uniqueArray(
      fc.record({ product: fc.option(name, { nil: null }), scenario: fc.option(name, { nil: null }), segment: fc.constant(null), rateBps: bp(10_000) }),
      {
        maxLength: 3,
        selector: (e) => JSON.stringify([e.product, e.scenario]),
      },
    ),
    partnerSourcedMultiplierBps: bp(100_000),
    partnerInfluencedMultiplierBps: bp(100_000),
    attainmentMultipliers: steps.chain((s) => fc.tuple(...s.map((fromBps) => bp(30_000).map((multiplierBps) => ({ fromBps, multiplierBps }))))),
    gate,
    capMinor: cap,
  }),
  fc.record({
    ...base,
    kind: fc.constant('tiered' as const),
    credits: filter,
    mode: fc.constantFrom('flat', 'marginal' as const),
    window: fc.constantFrom('period', 'year_to_date' as const),
    baseRateBps: fc.constant(null),
    tiers: bands.chain((b) => fc.tuple(...b.map((band) => bp(10_000).map((rateBps) => ({ ...band, rateBps }))))),
    gate,
    capMinor: cap,
  }),
  fc.record({
    ...base,
    kind: fc.constant('tiered' as const),
    mode: fc.constant('retroactive' as const),
    baseRateBps: bp(10_000),
    tiers: bands.chain((b) => fc.tuple(...b.map((band) => bp(30_000).map((rateBps) => ({ ...band, rateBps }))))),
  }),
  fc.record({
    ...base,
    kind: fc.constant('bonus' as const),
    targetIncentiveMinor: fc.integer({ min: 0, max: 10_000_000 }),
    schedule: steps.chain((s) => fc.tuple(...s.map((fromBps) => bp(30_000).map((payoutBps) => ({ fromBps, payoutBps }))))),
    gate,
  }),
  fc.record({
    ...base,
    kind: fc.constant('accountability' as const),
    metric: key,
    direction: fc.constantFrom('higher_is_better', 'lower_is_better' as const),
    target: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constantFrom(0.5, 95.5, 1e-3)),
    targetIncentiveMinor: fc.integer({ min: 0, max: 1_000_000 }),
    thresholdBps: bp(10_000),
    capBps: fc.integer({ min: 10_000, max: 20_000 }),
  }),
  fc.record({
    ...base,
    kind: fc.constant('spiff' as const),
    from: fc.constantFrom('2027-01-01', '2027-03-15'),
    to: fc.constantFrom('2027-07-01', '2028-01-01'),
    credits: filter,
    minDealValueMinor: fc.integer({ min: 0, max: 1_000_000 }),
    perDealMinor: fc.integer({ min: 1, max: 100_000 }),
    rateBps: bp(1_000),
    capMinor: cap,
  }),
);

const planInput = fc
  .record({
    key,
    name,
    description: fc.constantFrom('', 'Line one.\nLine two: with a colon.'),
    currency: fc.constantFrom('USD', 'EUR', 'JPY'),
    effectiveFrom: fc.constantFrom('2026-01-01', '2027-01-01'),
    effectiveTo: fc.constantFrom(null, '2028-01-01'),
    payoutPeriod: fc.constantFrom('month', 'quarter', 'year' as const),
    fiscalYearStartMonth: fc.integer({ min: 1, max: 12 }),
    rounding: fc.constantFrom('half_even', 'half_up', 'down', 'up' as const),
    quota: fc.record({ credits: filter, proration: fc.constantFrom('daily', 'none' as const) }),
    crediting: fc.oneof(
      fc.constant({ partnerCredit: 'rules_of_the_road' as const }),
      fc.record({
        partnerCredit: fc.constant('plan' as const),
        directSellerCredit: fc.constantFrom('full', 'split', 'none' as const),
        partnerSourcedCreditBps: bp(50_000),
        partnerInfluencedCreditBps: bp(50_000),
        rollupLevels: fc.integer({ min: 0, max: 3 }),
      }),
    ),
    clawback: fc.oneof(
      fc.constant({ policy: 'full' as const }),
      fc.record({ policy: fc.constant('within_days' as const), withinDays: fc.integer({ min: 1, max: 1095 }) }),
    ),
    periodCapMinor: cap,
    components: fc.array(component, { minLength: 1, maxLength: 5 }),
    draw: fc.option(
      fc.record({ amountMinor: fc.integer({ min: 0, max: 1_000_000 }), recoverable: fc.boolean(), guaranteePeriods: fc.integer({ min: 0, max: 4 }) }),
      { nil: null },
    ),
  })
  .map(({ draw, components, ...rest }): PlanDocumentInput => ({
    format: PLAN_FORMAT,
    ...rest,
    components: [...components.map((c, i) => ({ ...c, key: `c${i}` })), ...(draw ? [{ key: 'draw', name: 'Draw', kind: 'draw' as const, ...draw }] : [])],
  }))
  .map((input) => planDocument.parse(input));

describe('stringifyPlan', () => {
  it('round-trips generated valid plans through YAML and JSON, and writes the same text twice', () => {
    fc.assert(
      fc.property(planInput, (plan) => {
        for (const format of ['yaml', 'json'] as const) {
          const text = stringifyPlan(plan, format);
          expect(stringifyPlan(plan, format)).toBe(text);
          expect(planOf(text, format)).toEqual(plan);
          expect(planOf(text, 'auto')).toEqual(plan);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('writes keys in schema order whatever order the plan object has', () => {
    const plan = planOf(MINIMAL);
    const shuffled = Object.fromEntries(Object.entries(plan).reverse()) as PlanDocument;
    expect(stringifyPlan(shuffled, 'yaml')).toBe(stringifyPlan(plan, 'yaml'));
    expect(stringifyPlan(shuffled, 'json')).toBe(stringifyPlan(plan, 'json'));
    const yaml = stringifyPlan(plan, 'yaml');
    expect(yaml.indexOf('format:')).toBeLessThan(yaml.indexOf('key:'));
    expect(yaml.indexOf('currency:')).toBeLessThan(yaml.indexOf('components:'));
    expect(yaml).toContain('creditKinds: [direct, split, rollup]');
    expect(Object.keys(JSON.parse(stringifyPlan(plan, 'json')))).toEqual([
      'format',
      'key',
      'name',
      'description',
      'currency',
      'effectiveFrom',
      'effectiveTo',
      'payoutPeriod',
      'fiscalYearStartMonth',
      'rounding',
      'quota',
      'crediting',
      'clawback',
      'periodCapMinor',
      'components',
    ]);
  });
});

describe('planJsonSchema', () => {
  it('is the input schema of the plan document, with an id and title', () => {
    const schema = planJsonSchema();
    expect(schema).toMatchObject({ $id: 'urn:realign:comp-plan:v1', title: 'Realign compensation plan', type: 'object', additionalProperties: false });
    expect((schema.required as string[]).sort()).toEqual(['components', 'currency', 'effectiveFrom', 'format', 'key', 'name']);
  });
});
