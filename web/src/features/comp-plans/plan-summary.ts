import type { CreditFilter, Gate, PlanComponent, PlanDocument, Tier } from '../../../../common/comp/plan.ts';
import { monthNames, moneyText, multiplierText, percentText } from './plan-format.ts';

/** The plan read back in sentences, section by section: what a seller would be told. */
export type SummarySection = { title: string; sentences: string[] };

const periodNoun = { month: 'month', quarter: 'quarter', year: 'year' } as const;

const joinAnd = (items: string[]): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`);

const kindWords: Record<CreditFilter['creditKinds'][number], string> = {
  direct: 'their own deals',
  split: 'their share of split deals',
  overlay: 'overlay credit',
  rollup: 'their team’s deals',
};
const sourcingWords = { direct: 'direct', partner_sourced: 'partner-sourced', partner_influenced: 'partner-influenced' } as const;

/** "credited value from their own deals and their share of split deals, partner-sourced deals only, for products A, B" */
export function creditWords(f: CreditFilter): string {
  const parts = [`credited value from ${joinAnd(f.creditKinds.map((k) => kindWords[k]))}`];
  if (f.sourcings) parts.push(`${joinAnd(f.sourcings.map((s) => sourcingWords[s]))} deals only`);
  if (f.products) parts.push(`products ${joinAnd(f.products)}`);
  if (f.scenarios) parts.push(`scenarios ${joinAnd(f.scenarios)}`);
  if (f.segments) parts.push(`segments ${joinAnd(f.segments)}`);
  return parts.join(', ');
}

function gateWords(g: Gate | null): string | null {
  if (!g) return null;
  const conditions: string[] = [];
  if (g.minAttainmentBps !== null) conditions.push(`attainment reaches ${percentText(g.minAttainmentBps)} of quota`);
  for (const m of g.metrics) conditions.push(`${m.metric} is at least ${m.min}`);
  if (conditions.length === 0) return null;
  return `It pays only in periods where ${joinAnd(conditions)}.`;
}

function partnerWords(c: { partnerSourcedMultiplierBps: number; partnerInfluencedMultiplierBps: number }): string | null {
  const parts: string[] = [];
  if (c.partnerSourcedMultiplierBps !== 10_000) parts.push(`partner-sourced credit at ${multiplierText(c.partnerSourcedMultiplierBps)}`);
  if (c.partnerInfluencedMultiplierBps !== 10_000) parts.push(`partner-influenced credit at ${multiplierText(c.partnerInfluencedMultiplierBps)}`);
  return parts.length > 0 ? `It pays ${joinAnd(parts)}.` : null;
}

function bandWords(tiers: readonly Tier[], value: (t: Tier) => string): string {
  return joinAnd(
    tiers.map((t, i) => {
      if (tiers.length === 1) return `${value(t)} at any attainment`;
      if (i === 0 && t.toBps !== null) return `${value(t)} up to ${percentText(t.toBps)} of quota`;
      if (t.toBps === null) return i === tiers.length - 1 && tiers.length === 2 ? `${value(t)} above it` : `${value(t)} from ${percentText(t.fromBps)}`;
      return `${value(t)} from ${percentText(t.fromBps)} to ${percentText(t.toBps)}`;
    }),
  );
}

function componentSentences(c: PlanComponent, currency: string, period: string): string[] {
  const out: string[] = [];
  const cap = (capMinor: number | null) => (capMinor !== null ? `It pays at most ${moneyText(capMinor, currency)} a ${period}.` : null);
  switch (c.kind) {
    case 'commission': {
      out.push(`Sellers earn ${percentText(c.rateBps)} on ${creditWords(c.credits)}.`);
      for (const e of c.rateTable) {
        const on = [e.product && `product ${e.product}`, e.scenario && `scenario ${e.scenario}`, e.segment && `segment ${e.segment}`].filter(Boolean);
        out.push(`On ${on.length > 0 ? joinAnd(on as string[]) : 'everything else'} the rate is ${percentText(e.rateBps)}.`);
      }
      const p = partnerWords(c);
      if (p) out.push(p);
      if (c.attainmentMultipliers.length > 0)
        out.push(
          `The commission is multiplied by ${joinAnd(c.attainmentMultipliers.map((s) => `${multiplierText(s.multiplierBps)} from ${percentText(s.fromBps)} of quota`))}.`,
        );
      const g = gateWords(c.gate);
      if (g) out.push(g);
      const k = cap(c.capMinor);
      if (k) out.push(k);
      break;
    }
    case 'tiered': {
      const window = c.window === 'year_to_date' ? 'fiscal-year-to-date attainment' : `attainment in the ${period}`;
      if (c.mode === 'marginal')
        out.push(
          `Sellers earn ${bandWords(c.tiers, (t) => percentText(t.rateBps))} on ${creditWords(c.credits)}, each rate on the credit inside its band (by ${window}).`,
        );
      else if (c.mode === 'flat')
        out.push(`The rate of the band reached pays all ${creditWords(c.credits)}: ${bandWords(c.tiers, (t) => percentText(t.rateBps))} (by ${window}).`);
      else
        out.push(
          `Sellers earn a base rate of ${c.baseRateBps === null ? '(not set)' : percentText(c.baseRateBps)} on ${creditWords(c.credits)}, times ${bandWords(c.tiers, (t) => multiplierText(t.rateBps))}, applied back to the first unit of credit (by ${window}).`,
        );
      if (c.window === 'year_to_date') out.push('Each period pays the difference to what earlier periods of the year already paid.');
      const p = partnerWords(c);
      if (p) out.push(p);
      const g = gateWords(c.gate);
      if (g) out.push(g);
      const k = cap(c.capMinor);
      if (k) out.push(k);
      break;
    }
    case 'bonus':
      out.push(
        `A bonus with a target incentive of ${moneyText(c.targetIncentiveMinor, currency)} pays ${joinAnd(c.schedule.map((s) => `${percentText(s.payoutBps)} of it from ${percentText(s.fromBps)} of quota`))}.`,
      );
      if (gateWords(c.gate)) out.push(gateWords(c.gate) ?? '');
      break;
    case 'accountability':
      out.push(
        `${moneyText(c.targetIncentiveMinor, currency)} at 100 % achievement of ${c.metric} (target ${c.target}, ${c.direction === 'lower_is_better' ? 'lower is better' : 'higher is better'}), in proportion to achievement: nothing below ${percentText(c.thresholdBps)}, achievement counted up to ${percentText(c.capBps)}.`,
      );
      if (gateWords(c.gate)) out.push(gateWords(c.gate) ?? '');
      break;
    case 'spiff': {
      const pays = [c.perDealMinor > 0 && `${moneyText(c.perDealMinor, currency)} per deal`, c.rateBps > 0 && `${percentText(c.rateBps)} of credit`].filter(
        Boolean,
      );
      out.push(
        `From ${c.from} until ${c.to}, a SPIFF pays ${joinAnd(pays as string[]) || 'nothing yet'} on ${creditWords(c.credits)}${c.minDealValueMinor > 0 ? `, deals of at least ${moneyText(c.minDealValueMinor, currency)}` : ''}.`,
      );
      const k = cap(c.capMinor);
      if (k) out.push(k);
      break;
    }
    case 'draw':
      out.push(
        c.recoverable
          ? `A recoverable draw of ${moneyText(c.amountMinor, currency)} a ${period} tops up earnings that fall short; it is paid back from up to ${percentText(c.recoveryBps)} of later earnings above the draw${c.guaranteePeriods > 0 ? `, except for the first ${c.guaranteePeriods} ${c.guaranteePeriods === 1 ? period : `${period}s`}, which are guaranteed` : ''}.`
          : `A non-recoverable draw guarantees at least ${moneyText(c.amountMinor, currency)} a ${period}.`,
      );
      break;
  }
  return out;
}

export function planSummary(plan: PlanDocument): SummarySection[] {
  const period = periodNoun[plan.payoutPeriod] ?? 'period';
  const sections: SummarySection[] = [];
  const general = [
    `${plan.name || 'This plan'} pays in ${plan.currency} every ${period}, from ${plan.effectiveFrom}${plan.effectiveTo ? ` until ${plan.effectiveTo}` : ''}.`,
    `The fiscal year starts in ${monthNames[plan.fiscalYearStartMonth - 1] ?? '?'}.`,
    `Quota counts ${creditWords(plan.quota.credits)}${plan.quota.proration === 'daily' ? '; someone who joins or leaves mid-period has their quota prorated by days' : ''}.`,
  ];
  if (plan.periodCapMinor !== null) general.push(`The plan pays at most ${moneyText(plan.periodCapMinor, plan.currency)} a ${period}, draws aside.`);
  sections.push({ title: 'The plan', sentences: general });

  const c = plan.crediting;
  const crediting: string[] = [];
  if (c.partnerCredit === 'rules_of_the_road') crediting.push('Credit on partner deals follows the rules of the road in force.');
  else {
    const direct = { full: 'their full share', split: 'half the value, shared by their splits', none: 'no credit' }[c.directSellerCredit];
    crediting.push(
      `On partner deals, direct sellers get ${direct}${c.directSellerCredit !== 'none' ? `, at ${multiplierText(c.partnerSourcedCreditBps)} when partner-sourced and ${multiplierText(c.partnerInfluencedCreditBps)} when partner-influenced` : ''}.`,
    );
  }
  crediting.push(
    c.rollupLevels === 0
      ? 'Managers are not credited with their team’s deals.'
      : `Managers up to ${c.rollupLevels} level${c.rollupLevels === 1 ? '' : 's'} above a seller are credited too.`,
  );
  const cb = plan.clawback;
  crediting.push(
    cb.policy === 'none'
      ? 'Refunds and cancellations are never clawed back.'
      : cb.policy === 'full'
        ? 'Refunds and cancellations are clawed back in full.'
        : `Refunds within ${cb.withinDays ?? '?'} days of the sale are clawed back; later ones are not.`,
  );
  sections.push({ title: 'Crediting and clawback', sentences: crediting });

  for (const comp of plan.components) sections.push({ title: comp.name || comp.key, sentences: componentSentences(comp, plan.currency, period) });
  return sections;
}
