import { describe, expect, it } from 'vitest';
import { DEFAULT_NAME_SIMILARITY, type RuleSetContent } from '../../../common/api/rules.ts';
import {
  checkRuleSetShape,
  defaultRuleSet,
  describeRuleSetChanges,
  issuePath,
  referenceIssues,
  renderRuleSetPlain,
  scenarioKeysNamed,
  type TextContext,
} from './rules-text.rules.ts';

const scenarios = [
  { key: 'maintenance_renewal', name: 'Maintenance renewal', isRenewal: true, active: true },
  { key: 'consulting', name: 'Consulting', isRenewal: false, active: true },
  { key: 'migration', name: 'Migration', isRenewal: false, active: true },
  { key: 'legacy_swap', name: 'Legacy swap', isRenewal: false, active: false },
];
const REVIEWER = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const ctx: TextContext = { scenarioNames: new Map(scenarios.map((s) => [s.key, s.name])) };
const internalCtx: TextContext = {
  ...ctx,
  userNames: new Map([
    [REVIEWER, 'Rhea Reviewer'],
    [OTHER, 'Otto Other'],
  ]),
};

function base(): RuleSetContent {
  const r = defaultRuleSet(scenarios);
  r.routes.unshift({
    id: 'consulting_emea',
    scenarios: ['consulting'],
    regions: ['emea'],
    productLines: null,
    tiers: null,
    owningUnit: 'Technology Services – Consulting',
    reviewerUserId: REVIEWER,
    escalationUserId: null,
    responseBusinessDays: 3,
  });
  r.eligibility.push({ id: 'renewals', scenarios: ['maintenance_renewal'], minValue: { amountMinor: 0, currency: 'USD' }, requiredFields: [], minTier: null });
  return r;
}

describe('defaultRuleSet', () => {
  it('is a valid rule set with the agreed defaults, crediting renewals apart from new business', () => {
    const r = defaultRuleSet(scenarios);
    expect(checkRuleSetShape(r)).toEqual({ ok: true, rules: r });
    expect(r.routes).toEqual([expect.objectContaining({ id: 'catch_all', owningUnit: 'Channel desk', responseBusinessDays: 2, scenarios: null })]);
    expect(r.protection).toEqual({ days: 90, extensionDays: 30, maxExtensions: 1, autoApproveWhenClear: false });
    expect(r.conflicts).toEqual({ mode: 'first_to_register', directOwnedAccounts: 'review', nameSimilarity: DEFAULT_NAME_SIMILARITY });
    // No minimum: a minimum names a currency, and would make every other currency ineligible.
    expect(r.eligibility[0]?.minValue).toBeNull();
    expect(r.crediting.map((c) => [c.id, c.scenarios])).toEqual([
      ['renewals', ['maintenance_renewal']],
      ['new_business', ['consulting', 'migration']],
    ]);
  });

  it('is still valid with no scenarios at all', () => {
    expect(checkRuleSetShape(defaultRuleSet([])).ok).toBe(true);
  });
});

describe('issuePath', () => {
  it.each([
    [['routes', 2, 'tiers'], 'rules.routes[2].tiers'],
    [[], 'rules'],
    [['protection', 'days'], 'rules.protection.days'],
    [['eligibility', 0, 'minValue', 'currency'], 'rules.eligibility[0].minValue.currency'],
  ] as const)('%j -> %s', (path, expected) => {
    expect(issuePath('rules', path)).toBe(expected);
  });
});

describe('checkRuleSetShape', () => {
  /** Puts a value the type would not allow, as a client sending bad JSON would. */
  const bad = <T>(value: unknown) => value as T;
  const cases: { name: string; mutate: (r: RuleSetContent) => void; paths: string[] }[] = [
    {
      name: 'a route tier that is not a tier',
      mutate: (r) => {
        r.routes[0]!.tiers = ['diamond'];
      },
      paths: ['rules.routes[0].tiers'],
    },
    {
      name: 'several problems at once, each with its path',
      mutate: (r) => {
        r.routes[1]!.responseBusinessDays = 0;
        r.protection.days = bad<number>('ninety');
        r.conflicts.mode = bad<'first_to_register'>('loudest_wins');
      },
      paths: ['rules.routes[1].responseBusinessDays', 'rules.protection.days', 'rules.conflicts.mode'],
    },
    {
      name: 'no catch-all route',
      mutate: (r) => {
        r.routes = [r.routes[0]!];
      },
      paths: ['rules.routes'],
    },
    {
      name: 'an unknown field',
      mutate: (r) => {
        Object.assign(r.protection, { forever: true });
      },
      paths: ['rules.protection'],
    },
    {
      name: 'duplicate ids',
      mutate: (r) => {
        r.eligibility[1]!.id = r.eligibility[0]!.id;
      },
      paths: ['rules.eligibility[1].id'],
    },
  ];
  it.each(cases)('reports $name', ({ mutate, paths }) => {
    const raw = structuredClone(base());
    mutate(raw);
    const r = checkRuleSetShape(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toEqual(paths);
  });
});

describe('referenceIssues', () => {
  it('names unknown and inactive scenarios, and reviewers who are missing, partner users or disabled', () => {
    const r = base();
    r.routes[0]!.scenarios = ['consulting', 'nope', 'legacy_swap'];
    r.routes[0]!.escalationUserId = OTHER;
    r.crediting[0]!.scenarios = ['ghost'];
    const issues = referenceIssues(r, {
      scenarios: new Map(scenarios.map((s) => [s.key, { active: s.active }])),
      users: new Map([[OTHER, { internal: false, active: true }]]),
    });
    expect(issues).toEqual([
      { path: 'rules.routes[0].scenarios', message: '"nope" is not a scenario' },
      { path: 'rules.routes[0].scenarios', message: 'scenario "legacy_swap" is inactive' },
      { path: 'rules.routes[0].reviewerUserId', message: `user ${REVIEWER} does not exist` },
      { path: 'rules.routes[0].escalationUserId', message: `user ${OTHER} is not an internal user` },
      { path: 'rules.crediting[0].scenarios', message: '"ghost" is not a scenario' },
    ]);
    const disabled = referenceIssues(base(), {
      scenarios: new Map(scenarios.map((s) => [s.key, { active: s.active }])),
      users: new Map([[REVIEWER, { internal: true, active: false }]]),
    });
    expect(disabled).toEqual([{ path: 'rules.routes[0].reviewerUserId', message: `user ${REVIEWER} is disabled` }]);
  });

  it('lists the scenario keys a rule set names', () => {
    expect([...scenarioKeysNamed(base())].sort()).toEqual(['consulting', 'maintenance_renewal', 'migration']);
  });
});

describe('describeRuleSetChanges', () => {
  const cases: { name: string; change: (r: RuleSetContent) => void; expected: string[]; context?: TextContext }[] = [
    { name: 'nothing', change: () => {}, expected: [] },
    {
      name: 'a route SLA',
      change: (r) => {
        r.routes[0]!.responseBusinessDays = 2;
      },
      expected: ['Route consulting_emea: SLA changed from 3 to 2 business days'],
    },
    {
      name: 'the protection window',
      change: (r) => {
        r.protection.days = 120;
      },
      expected: ['Protection window changed from 90 to 120 days'],
    },
    {
      name: 'a minimum value',
      change: (r) => {
        r.eligibility[1]!.minValue = { amountMinor: 500_000, currency: 'USD' };
      },
      expected: ['Eligibility rule renewals: minimum value changed from $0.00 to $5,000.00'],
    },
    {
      name: 'an added and a removed rule',
      change: (r) => {
        r.eligibility = r.eligibility.filter((e) => e.id !== 'renewals');
        r.routes.splice(1, 0, {
          id: 'migrations',
          scenarios: ['migration'],
          regions: null,
          productLines: null,
          tiers: ['gold', 'platinum'],
          owningUnit: 'Data Centre Services',
          reviewerUserId: null,
          escalationUserId: null,
          responseBusinessDays: 1,
        });
      },
      expected: [
        'Eligibility rule renewals removed',
        'Route migrations added: Migration from gold and platinum partners: Data Centre Services answers within 1 business day.',
      ],
    },
    {
      name: 'scope, unit, conflicts, extensions and crediting',
      change: (r) => {
        r.routes[0]!.regions = null;
        r.routes[0]!.owningUnit = 'Consulting EMEA';
        r.protection.maxExtensions = 2;
        r.protection.autoApproveWhenClear = true;
        r.conflicts.directOwnedAccounts = 'excluded';
        r.conflicts.nameSimilarity = 0.6;
        r.crediting[1]!.partnerSourcedMultiplierBps = 15_000;
        r.crediting[1]!.directSellerCredit = 'none';
      },
      expected: [
        'Route consulting_emea: regions changed from emea to any',
        'Route consulting_emea: owning unit changed from “Technology Services – Consulting” to “Consulting EMEA”',
        'Maximum number of extensions changed from 1 to 2',
        'Registrations that meet no other claim are now approved at once',
        'Registrations on direct-owned accounts: changed from reviewed to excluded',
        'Name similarity threshold changed from 45% to 60%',
        'Crediting hint new_business: partner-sourced multiplier changed from 1.2× to 1.5×',
        'Crediting hint new_business: direct seller credit changed from split to none',
      ],
    },
    {
      name: 'route order',
      change: (r) => {
        r.routes.reverse();
      },
      expected: ['Route order changed from consulting_emea, catch_all to catch_all, consulting_emea'],
    },
    {
      name: 'a reviewer, seen by staff',
      change: (r) => {
        r.routes[0]!.reviewerUserId = OTHER;
      },
      context: internalCtx,
      expected: ['Route consulting_emea: reviewer changed from Rhea Reviewer to Otto Other'],
    },
    {
      name: 'a reviewer, not shown to partners',
      change: (r) => {
        r.routes[0]!.reviewerUserId = OTHER;
      },
      expected: [],
    },
  ];
  it.each(cases)('describes $name', ({ change, expected, context }) => {
    const before = base();
    const after = structuredClone(before);
    change(after);
    expect(describeRuleSetChanges(before, after, context ?? ctx)).toEqual(expected);
  });
});

describe('renderRuleSetPlain', () => {
  it('has the five sections partners read, in order', () => {
    expect(renderRuleSetPlain(base(), ctx).map((s) => s.title)).toEqual([
      'Who can register what',
      'Who answers you and how fast',
      'How long you are protected',
      'When two claims meet',
      'How deals are credited',
    ]);
  });

  const cases: { name: string; change: (r: RuleSetContent) => void; section: string; includes: string; context?: TextContext }[] = [
    {
      name: 'a route with scenario names and its SLA',
      change: () => {},
      section: 'Who answers you and how fast',
      includes: 'Consulting in emea: Technology Services – Consulting answers within 3 business days.',
    },
    {
      name: 'the catch-all route',
      change: () => {},
      section: 'Who answers you and how fast',
      includes: 'Anything not covered above: Channel desk answers within 2 business days.',
    },
    {
      name: 'the reviewer, for staff only',
      change: () => {},
      context: internalCtx,
      section: 'Who answers you and how fast',
      includes: 'Consulting in emea: Technology Services – Consulting answers within 3 business days (reviewer: Rhea Reviewer).',
    },
    {
      name: 'a minimum value with formatMoney, a tier floor and required fields',
      change: (r) => {
        r.eligibility[1] = {
          id: 'renewals',
          scenarios: ['maintenance_renewal'],
          minValue: { amountMinor: 250_000, currency: 'EUR' },
          requiredFields: ['endCustomerDomain', 'expectedCloseOn'],
          minTier: 'silver',
        };
      },
      section: 'Who can register what',
      includes:
        'Maintenance renewal: registrations worth at least €2,500.00 from partners of tier silver or higher; include the end-customer web domain and expected close date.',
    },
    {
      name: 'any value and every tier',
      change: () => {},
      section: 'Who can register what',
      includes: 'Any scenario: registrations of any value from partners of every tier.',
    },
    {
      name: 'the protection window and one extension',
      change: () => {},
      section: 'How long you are protected',
      includes: 'An approved registration protects you for 90 days from the day it is approved.',
    },
    {
      name: 'several extensions',
      change: (r) => {
        r.protection.maxExtensions = 3;
        r.protection.extensionDays = 15;
      },
      section: 'How long you are protected',
      includes: 'You may ask for up to 3 extensions of 15 days each before it ends.',
    },
    {
      name: 'first to register',
      change: () => {},
      section: 'When two claims meet',
      includes: 'When two partners claim the same opportunity, the first to register keeps the protection; the later claim is reviewed.',
    },
    {
      name: 'excluded direct accounts',
      change: (r) => {
        r.conflicts.directOwnedAccounts = 'excluded';
      },
      section: 'When two claims meet',
      includes: 'Customers the vendor’s direct team owns cannot be registered.',
    },
    {
      name: 'crediting multipliers',
      change: () => {},
      section: 'How deals are credited',
      includes:
        'Consulting and Migration: deals you source count 1.2×, deals you influence count 1× toward the vendor seller’s credit; credit is split with the vendor’s seller on the account.',
    },
  ];
  it.each(cases)('renders $name', ({ change, section, includes, context }) => {
    const r = base();
    change(r);
    const s = renderRuleSetPlain(r, context ?? ctx).find((x) => x.title === section);
    expect(s?.items).toContain(includes);
  });

  it('never names staff to partners', () => {
    const text = JSON.stringify(renderRuleSetPlain(base(), ctx));
    expect(text).not.toContain('Rhea');
    expect(text).not.toContain(REVIEWER);
  });
});
