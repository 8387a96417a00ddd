import { describe, expect, it } from 'vitest';
import type { RouteRule } from '../../../common/api/rules.ts';
import {
  addBusinessDays,
  eligibilityProblems,
  extensionProblem,
  protectionEndsOn,
  protectionExpired,
  routeSpecificity,
  selectRoute,
  slaState,
  type EligibilityInput,
} from './rules-engine.rules.ts';
import { testRules } from './registrations.test-support.ts';

const noFields = { endCustomerDomain: null, endCustomerTaxId: null, endCustomerCountry: null, productLine: null, expectedCloseOn: null, description: null };
const reg = (o: Partial<EligibilityInput> = {}): EligibilityInput => ({
  scenarioKey: 'consulting',
  valueMinor: 5_000_00,
  currency: 'EUR',
  partnerTier: 'silver',
  fields: noFields,
  ...o,
});

describe('eligibility', () => {
  const rules = testRules({
    eligibility: [
      { id: 'renewals', scenarios: ['maintenance_renewal'], minValue: null, requiredFields: ['endCustomerTaxId'], minTier: null },
      { id: 'consulting', scenarios: ['consulting'], minValue: { amountMinor: 1_000_00, currency: 'EUR' }, requiredFields: [], minTier: null },
      {
        id: 'managed',
        scenarios: ['managed_service'],
        minValue: { amountMinor: 50_000_00, currency: 'USD' },
        requiredFields: ['endCustomerCountry', 'description'],
        minTier: 'gold',
      },
      { id: 'everyone_needs_close', scenarios: null, minValue: null, requiredFields: ['expectedCloseOn'], minTier: null },
    ],
  });
  const withClose = { ...noFields, expectedCloseOn: '2026-12-01' };
  const cases: { name: string; reg: EligibilityInput; problems: { field: string; message: RegExp }[] }[] = [
    { name: 'a consulting deal above the minimum', reg: reg({ fields: withClose }), problems: [] },
    {
      name: 'a consulting deal below the minimum',
      reg: reg({ valueMinor: 999_99, fields: withClose }),
      problems: [{ field: 'valueMinor', message: /at least €1,000\.00/ }],
    },
    { name: 'exactly the minimum is enough', reg: reg({ valueMinor: 1_000_00, fields: withClose }), problems: [] },
    {
      name: 'another currency than the minimum is not comparable',
      reg: reg({ currency: 'USD', valueMinor: 9_999_999_00, fields: withClose }),
      problems: [{ field: 'currency', message: /must be EUR/ }],
    },
    {
      name: 'a required field of a rule for every scenario',
      reg: reg(),
      problems: [{ field: 'expectedCloseOn', message: /required for this scenario/ }],
    },
    {
      name: 'renewals need the tax id',
      reg: reg({ scenarioKey: 'maintenance_renewal', fields: withClose }),
      problems: [{ field: 'endCustomerTaxId', message: /tax id/ }],
    },
    {
      name: 'every reason at once: currency, two fields, tier',
      reg: reg({ scenarioKey: 'managed_service', currency: 'EUR', partnerTier: 'silver' }),
      problems: [
        { field: 'currency', message: /must be USD/ },
        { field: 'endCustomerCountry', message: /country/ },
        { field: 'description', message: /description/ },
        { field: 'partnerTier', message: /gold or higher; yours is silver/ },
        { field: 'expectedCloseOn', message: /close date/ },
      ],
    },
    {
      name: 'a higher tier than the minimum qualifies',
      reg: reg({
        scenarioKey: 'managed_service',
        currency: 'USD',
        valueMinor: 50_000_00,
        partnerTier: 'platinum',
        fields: { ...withClose, endCustomerCountry: 'FR', description: 'Run their data centre' },
      }),
      problems: [],
    },
    {
      name: 'a tier outside the rules',
      reg: reg({
        scenarioKey: 'managed_service',
        currency: 'USD',
        valueMinor: 50_000_00,
        partnerTier: 'diamond',
        fields: { ...withClose, endCustomerCountry: 'FR', description: 'x' },
      }),
      problems: [{ field: 'partnerTier', message: /not one of the tiers/ }],
    },
    {
      name: 'a blank required field counts as missing',
      reg: reg({ fields: { ...noFields, expectedCloseOn: '   ' } }),
      problems: [{ field: 'expectedCloseOn', message: /required/ }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = eligibilityProblems(rules, c.reg);
      expect(got.map((p) => p.field)).toEqual(c.problems.map((p) => p.field));
      c.problems.forEach((p, i) => expect(got[i]?.message).toMatch(p.message));
    });
  }

  it('a scenario no rule mentions is refused', () => {
    const only = testRules({ eligibility: [{ id: 'x', scenarios: ['consulting'], minValue: null, requiredFields: [], minTier: null }] });
    expect(eligibilityProblems(only, reg({ scenarioKey: 'migration' }))).toEqual([
      { field: 'scenario', message: expect.stringMatching(/do not accept registrations of the scenario "migration"/) },
    ]);
  });
});

describe('route selection', () => {
  const r = (id: string, o: Partial<RouteRule> = {}): RouteRule => ({
    id,
    scenarios: null,
    regions: null,
    productLines: null,
    tiers: null,
    owningUnit: id,
    reviewerUserId: null,
    escalationUserId: null,
    responseBusinessDays: 2,
    ...o,
  });
  const routes = [
    r('catch_all'),
    r('consulting', { scenarios: ['consulting'] }),
    r('emea', { regions: ['emea'] }),
    r('consulting_emea', { scenarios: ['consulting'], regions: ['emea'] }),
    r('emea_consulting_twin', { scenarios: ['consulting'], regions: ['emea'] }),
    r('servers_gold', { productLines: ['servers'], tiers: ['gold', 'platinum'] }),
    r('all_four', { scenarios: ['migration'], regions: ['amer'], productLines: ['storage'], tiers: ['gold'] }),
    r('empty_lists_mean_any', { scenarios: [], regions: [], productLines: [], tiers: [] }),
  ];
  const cases: [string, { scenarioKey: string; region: string | null; productLine: string | null; tier: string }, string][] = [
    [
      'nothing specific: the catch-all (first of the equally unspecific)',
      { scenarioKey: 'upgrade', region: null, productLine: null, tier: 'silver' },
      'catch_all',
    ],
    ['one dimension', { scenarioKey: 'consulting', region: 'amer', productLine: null, tier: 'silver' }, 'consulting'],
    [
      'two dimensions beat one; ties go to the first listed',
      { scenarioKey: 'consulting', region: 'emea', productLine: null, tier: 'silver' },
      'consulting_emea',
    ],
    ['region only', { scenarioKey: 'upgrade', region: 'emea', productLine: null, tier: 'silver' }, 'emea'],
    ['product line and tier', { scenarioKey: 'upgrade', region: 'emea', productLine: 'servers', tier: 'gold' }, 'servers_gold'],
    ['tier outside the list falls back', { scenarioKey: 'upgrade', region: null, productLine: 'servers', tier: 'silver' }, 'catch_all'],
    ['all four', { scenarioKey: 'migration', region: 'amer', productLine: 'storage', tier: 'gold' }, 'all_four'],
    ['a null region never matches a region list', { scenarioKey: 'migration', region: null, productLine: 'storage', tier: 'gold' }, 'catch_all'],
  ];
  for (const [name, input, want] of cases) it(name, () => expect(selectRoute(routes, input)?.id).toBe(want));

  it('counts constrained dimensions', () => {
    expect(routes.map(routeSpecificity)).toEqual([0, 1, 1, 2, 2, 2, 4, 0]);
  });
  it('no matching route is null', () => {
    expect(selectRoute([r('x', { scenarios: ['consulting'] })], { scenarioKey: 'upgrade', region: null, productLine: null, tier: 'gold' })).toBeNull();
  });
});

describe('business-day SLA', () => {
  const cases: [string, string, number, string][] = [
    ['Monday + 2 = Wednesday', '2026-03-02T10:00:00Z', 2, '2026-03-04T10:00:00.000Z'],
    ['Thursday + 2 skips the weekend to Monday', '2026-03-05T10:00:00Z', 2, '2026-03-09T10:00:00.000Z'],
    ['Friday 15:00 + 2 = Tuesday 15:00', '2026-03-06T15:00:00Z', 2, '2026-03-10T15:00:00.000Z'],
    ['Friday + 5 = next Friday', '2026-03-06T09:30:00Z', 5, '2026-03-13T09:30:00.000Z'],
    ['Saturday + 1 = Monday, same time', '2026-03-07T11:00:00Z', 1, '2026-03-09T11:00:00.000Z'],
    ['Sunday + 1 = Monday', '2026-03-08T23:59:00Z', 1, '2026-03-09T23:59:00.000Z'],
    ['+ 10 spans two weekends', '2026-03-02T08:00:00Z', 10, '2026-03-16T08:00:00.000Z'],
    ['0 days is the instant itself', '2026-03-07T11:00:00Z', 0, '2026-03-07T11:00:00.000Z'],
    ['across a month and year end', '2026-12-31T12:00:00Z', 1, '2027-01-01T12:00:00.000Z'],
    ['Friday New Year 2027 + 1 = Monday', '2027-01-01T12:00:00Z', 1, '2027-01-04T12:00:00.000Z'],
  ];
  for (const [name, from, n, want] of cases) it(name, () => expect(addBusinessDays(new Date(from), n).toISOString()).toBe(want));
  it('refuses negative or fractional days', () => {
    expect(() => addBusinessDays(new Date(), -1)).toThrow(RangeError);
    expect(() => addBusinessDays(new Date(), 1.5)).toThrow(RangeError);
  });
  it('the clock state', () => {
    const due = new Date('2026-03-04T10:00:00Z');
    const before = new Date('2026-03-04T09:00:00Z');
    const after = new Date('2026-03-04T11:00:00Z');
    expect(slaState({ slaDueAt: null, firstResponseAt: null, slaBreachedAt: null }, after)).toBe('not_started');
    expect(slaState({ slaDueAt: due, firstResponseAt: null, slaBreachedAt: null }, before)).toBe('running');
    expect(slaState({ slaDueAt: due, firstResponseAt: null, slaBreachedAt: null }, after)).toBe('breached');
    expect(slaState({ slaDueAt: due, firstResponseAt: before, slaBreachedAt: null }, after)).toBe('met');
    expect(slaState({ slaDueAt: due, firstResponseAt: after, slaBreachedAt: null }, after)).toBe('breached');
    expect(slaState({ slaDueAt: due, firstResponseAt: after, slaBreachedAt: after }, after)).toBe('breached');
  });
});

describe('protection', () => {
  it('ends N days after the decision, expires the day after', () => {
    expect(protectionEndsOn('2026-01-15', 90)).toBe('2026-04-15');
    expect(protectionEndsOn('2024-02-28', 1)).toBe('2024-02-29');
    expect(protectionExpired('2026-04-15', '2026-04-15')).toBe(false);
    expect(protectionExpired('2026-04-15', '2026-04-16')).toBe(true);
  });
  it('extensions: only approved, within the count, one request at a time', () => {
    const p = { extensionDays: 30, maxExtensions: 2 };
    expect(extensionProblem(p, { status: 'approved', extensionCount: 0, pending: false })).toBeNull();
    expect(extensionProblem(p, { status: 'approved', extensionCount: 1, pending: false })).toBeNull();
    expect(extensionProblem(p, { status: 'approved', extensionCount: 2, pending: false })).toMatch(/most the rules allow/);
    expect(extensionProblem(p, { status: 'approved', extensionCount: 0, pending: true })).toMatch(/already waiting/);
    expect(extensionProblem(p, { status: 'submitted', extensionCount: 0, pending: false })).toMatch(/only an approved/);
    expect(extensionProblem({ extensionDays: 30, maxExtensions: 0 }, { status: 'approved', extensionCount: 0, pending: false })).toMatch(/no extensions/);
  });
});
