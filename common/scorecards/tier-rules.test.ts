import { describe, expect, it } from 'vitest';
import { builtinMetric } from './builtin-metrics.ts';
import {
  aggregateWindow,
  checkTierRules,
  defaultTierRules,
  defaultTierRulesInput,
  evaluateTierCompliance,
  tierRulesProblems,
  trailingWindow,
  type TierRequirement,
} from './tier-rules.ts';

const lookup = (k: string) => builtinMetric(k);

describe('tier rules', () => {
  it('the default rule set is valid against the built-in metric library', () => {
    expect(tierRulesProblems(defaultTierRules, lookup)).toEqual([]);
    expect(defaultTierRules.tiers.map((t) => t.key)).toEqual(['registered', 'silver', 'gold', 'platinum']);
  });

  it('refuses unknown metrics, non-partner metrics, medians, undeclared attributes, duplicates and bad thresholds', () => {
    const r = checkTierRules(
      {
        name: 'Bad',
        attributes: [{ key: 'certs', name: 'Certs' }],
        tiers: [
          {
            key: 'silver',
            name: 'Silver',
            requirements: [
              { kind: 'metric', key: 'a', label: 'A', metric: 'nope', threshold: 1 },
              { kind: 'metric', key: 'b', label: 'B', metric: 'partner_sourced_share', threshold: 0.5 },
              { kind: 'metric', key: 'c', label: 'C', metric: 'sales_cycle_days', threshold: 30, comparison: 'at_most' },
              { kind: 'attribute', key: 'd', label: 'D', attribute: 'staff', threshold: 1 },
              { kind: 'metric', key: 'e', label: 'E', metric: 'win_rate', threshold: 60 },
              { kind: 'attribute', key: 'e', label: 'E2', attribute: 'certs', threshold: 1.5 },
            ],
          },
          { key: 'silver', name: 'Silver again' },
        ],
      },
      lookup,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toEqual([
      'tiers[0].requirements[0].metric',
      'tiers[0].requirements[1].metric',
      'tiers[0].requirements[2].metric',
      'tiers[0].requirements[3].attribute',
      'tiers[0].requirements[4].threshold',
      'tiers[0].requirements[5].key',
      'tiers[0].requirements[5].threshold',
      'tiers[1].key',
    ]);
  });

  it('refuses unknown properties and an empty tier list (schema)', () => {
    expect(checkTierRules({ name: 'x', tiers: [] }, lookup).ok).toBe(false);
    expect(checkTierRules({ ...defaultTierRulesInput, extra: 1 }, lookup).ok).toBe(false);
  });
});

describe('windows', () => {
  it('is the trailing N months ending with the day, half-open', () => {
    expect(trailingWindow('2026-11-27', 12)).toEqual({ from: '2025-11-28', to: '2026-11-28' });
    expect(trailingWindow('2026-12-31', 1)).toEqual({ from: '2026-12-01', to: '2027-01-01' });
    // 29 March minus one month: the end of February.
    expect(trailingWindow('2026-03-28', 1)).toEqual({ from: '2026-02-28', to: '2026-03-29' });
  });
  it('adds counts and sums; a ratio is the sum of numerators over the sum of denominators', () => {
    const rows = [
      { value: 1, numerator: 1, denominator: 1 },
      { value: 0.25, numerator: 1, denominator: 4 },
    ];
    expect(aggregateWindow('sum', rows)).toBe(1.25);
    expect(aggregateWindow('ratio', rows)).toBe(0.4);
    expect(aggregateWindow('ratio', [])).toBeNull();
    expect(aggregateWindow('count', [])).toBe(0);
  });
});

describe('compliance', () => {
  const facts = () => ({ unit: 'count', currency: null, source: 'x' });
  const figures: Record<string, number | null> = {
    certifications: 3,
    certified_people: 3,
    won_value: 30_000_000,
    joint_calls: 2,
    win_rate: null,
    csat: 0.85,
  };
  const actual = (r: TierRequirement) => figures[r.key] ?? null;

  it('reports the current tier, what it misses (at risk), the next tier and its gaps', () => {
    const c = evaluateTierCompliance(defaultTierRules, 'Silver', actual, facts);
    expect(c.currentTier).toMatchObject({ key: 'silver', met: 2, total: 3 });
    expect(c.atRisk).toBe(true);
    const calls = c.currentTier!.requirements.find((r) => r.key === 'joint_calls')!;
    expect(calls).toMatchObject({ actual: 2, threshold: 4, met: false, progress: 0.5, shortfall: 2 });
    expect(c.nextTier).toMatchObject({ key: 'gold', met: 1, total: 4 });
    // No win rate at all: not met, no progress, no shortfall to state.
    expect(c.nextTier!.requirements.find((r) => r.key === 'win_rate')).toMatchObject({ actual: null, met: false, progress: 0, shortfall: null });
    expect(c.qualifiesFor).toBe('registered');
  });

  it('at the top tier there is no next tier; an unknown tier points at the first', () => {
    const all = () => 1e12;
    const top = evaluateTierCompliance(defaultTierRules, 'platinum', (r) => (r.key === 'win_rate' || r.key === 'csat' ? 1 : all()), facts);
    expect(top).toMatchObject({ nextTier: null, atRisk: false, qualifiesFor: 'platinum' });
    const unknown = evaluateTierCompliance(defaultTierRules, 'diamond', actual, facts);
    expect(unknown).toMatchObject({ currentTier: null, unknownTier: 'diamond', atRisk: false });
    expect(unknown.nextTier?.key).toBe('registered');
  });

  it('at_most requirements are met at or below the threshold', () => {
    const rules = checkTierRules(
      {
        name: 'r',
        attributes: [{ key: 'escalations', name: 'Escalations' }],
        tiers: [
          { key: 'a', name: 'A', requirements: [{ kind: 'attribute', key: 'e', label: 'E', attribute: 'escalations', comparison: 'at_most', threshold: 2 }] },
        ],
      },
      lookup,
    );
    if (!rules.ok) throw new Error(JSON.stringify(rules.issues));
    expect(evaluateTierCompliance(rules.rules, 'a', () => 2, facts).currentTier!.requirements[0]).toMatchObject({ met: true, progress: 1 });
    expect(evaluateTierCompliance(rules.rules, 'a', () => 4, facts).currentTier!.requirements[0]).toMatchObject({ met: false, progress: 0.5, shortfall: 2 });
  });
});
