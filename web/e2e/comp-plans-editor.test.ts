import { describe, expect, test } from 'vitest';
import { planDocument } from '../../common/comp/plan.ts';
import { defaultExampleSettings, exampleInput, payoutCurve, runExample } from '../src/features/comp-plans/plan-examples.ts';
import { humaniseMessage, majorToMinor, multiplierText, normalisePath, percentText, percentToBps } from '../src/features/comp-plans/plan-format.ts';
import { mergeIssues, validatePlan } from '../src/features/comp-plans/plan-issues.ts';
import { planSummary } from '../src/features/comp-plans/plan-summary.ts';
import { componentKindLabels, componentTemplate, keyFromName, planTemplate, planTemplates } from '../src/features/comp-plans/plan-templates.ts';

// The plan editor's pure parts (no browser): units, templates, live validation, the summary, the examples.

const today = new Date('2026-05-10T12:00:00Z');

describe('plan editor helpers', () => {
  test('units: percentages, multipliers and money in the plan currency', () => {
    expect(percentToBps(2.5)).toBe(250);
    expect(Number.isNaN(percentToBps(Number.NaN))).toBe(true);
    expect(percentText(250)).toBe('2.5 %');
    expect(multiplierText(12_000)).toBe('1.2 x');
    expect(majorToMinor(1234.5, 'USD')).toBe(123_450);
    expect(majorToMinor(1234, 'JPY')).toBe(1234);
    expect(normalisePath('document.components[2].tiers[1].fromBps')).toBe('components[2].tiers[1].fromBps');
    expect(normalisePath('components.2.tiers.1.fromBps')).toBe('components[2].tiers[1].fromBps');
    expect(normalisePath('document')).toBe('');
    expect(humaniseMessage('overlaps the tier before it (0-10000 bp)')).toBe('overlaps the tier before it (0 % to 100 %)');
  });

  test('every template and every new component is a valid plan', () => {
    for (const t of planTemplates) {
      const plan = planTemplate(t.id, { key: keyFromName(`${t.label} 2026`), name: t.label, currency: 'EUR', today });
      expect(validatePlan(plan), t.id).toEqual([]);
      expect(plan.effectiveFrom).toBe('2026-07-01');
      let grown = plan;
      for (const kind of Object.keys(componentKindLabels) as (keyof typeof componentKindLabels)[])
        grown = { ...grown, components: [...grown.components, componentTemplate(kind, grown)] };
      expect(validatePlan(grown), `${t.id} with every kind`).toEqual([]);
      expect(new Set(grown.components.map((c) => c.key)).size).toBe(grown.components.length);
    }
  });

  test('overlapping tiers are reported at the band, in percentages', () => {
    const plan = planTemplate('accelerator', { key: 'p', name: 'P', currency: 'EUR', today });
    const tiered = plan.components[0];
    if (tiered?.kind !== 'tiered') throw new Error('expected a tiered component');
    const broken = { ...plan, components: [{ ...tiered, tiers: [tiered.tiers[0]!, { ...tiered.tiers[1]!, fromBps: 8_000 }] }] };
    expect(validatePlan(broken)).toEqual([{ path: 'components[0].tiers[1].fromBps', message: 'overlaps the tier before it (0 % to 100 %)' }]);
    // An empty required number is NaN in the document: "enter a number", at its path.
    const empty = { ...plan, components: [{ ...tiered, tiers: [{ ...tiered.tiers[0]!, rateBps: Number.NaN }, tiered.tiers[1]!] }] };
    expect(validatePlan(empty)).toEqual([{ path: 'components[0].tiers[0].rateBps', message: 'enter a number' }]);
    // Server issues join the live ones once, in the same notation.
    expect(
      mergeIssues(validatePlan(broken), [{ path: 'document.components[0].tiers[1].fromBps', message: 'overlaps the tier before it (0-10000 bp)' }]),
    ).toHaveLength(1);
  });

  test('the summary reads the plan back in sentences', () => {
    const plan = planTemplate('partner_first', { key: 'p', name: 'Partner first', currency: 'EUR', today });
    const text = planSummary(plan)
      .flatMap((s) => s.sentences)
      .join('\n');
    expect(text).toContain('Sellers earn 3 % on credited value');
    expect(text).toContain('partner-sourced credit at 1.2 x');
    expect(text).toContain('a SPIFF pays €250.00 per deal');
    const accel = planTemplate('accelerator', { key: 'a', name: 'A', currency: 'EUR', today });
    expect(planSummary(accel).flatMap((s) => s.sentences)).toContainEqual(expect.stringContaining('Sellers earn 3 % up to 100 % of quota and 5 % above it'));
  });

  test('examples are the engine’s numbers for credit at an attainment, direct and partner-sourced', () => {
    const plan = planDocument.parse(planTemplate('partner_first', { key: 'p', name: 'P', currency: 'EUR', today }));
    const settings = defaultExampleSettings();
    const input = exampleInput(plan, settings, 10_000);
    expect(input.buckets.map((b) => [b.sourcing, b.creditMinor, b.deals, b.spiffKeys])).toEqual([
      ['direct', 7_000_000, 7, []],
      ['partner_sourced', 3_000_000, 3, ['partner_sourced_spiff']],
    ]);
    const result = runExample(plan, settings, 10_000);
    // 3 % of 70,000 + 3 % x 1.2 of 30,000 + 3 SPIFF deals x 250 = 2,100 + 1,080 + 750.
    expect(result.totalMinor).toBe(393_000);
    const curve = payoutCurve(plan, settings);
    expect(curve).toHaveLength(41);
    expect(curve[0]).toEqual({ attainmentBps: 0, totalMinor: 0 });
  });
});
