import { PLAN_FORMAT, type ComponentKind, type CreditFilter, type PlanComponent, type PlanDocument } from '../../../../common/comp/plan.ts';

/** Where every new component and plan starts: a sensible, valid example to change, not a blank form. */

export const componentKindLabels: Record<ComponentKind, string> = {
  commission: 'Commission',
  tiered: 'Tiered rates',
  bonus: 'Bonus',
  accountability: 'Accountability',
  spiff: 'SPIFF',
  draw: 'Draw',
};

export const componentKindHelp: Record<ComponentKind, string> = {
  commission: 'A rate on credited value, optionally by product, scenario or segment.',
  tiered: 'Rates that change with quota attainment: accelerators and decelerators.',
  bonus: 'A share of a target incentive by attainment reached.',
  accountability: 'Pay for a measured activity, such as partner registrations answered in time.',
  spiff: 'A time-boxed bonus for a product, scenario or partner-sourced deals.',
  draw: 'An advance paid when earnings fall short of it.',
};

export const defaultCredits = (): CreditFilter => ({
  creditKinds: ['direct', 'split', 'rollup'],
  products: null,
  scenarios: null,
  segments: null,
  sourcings: null,
});

function uniqueKey(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i += 1) if (!taken.includes(`${base}_${i}`)) return `${base}_${i}`;
}

const addDays = (date: string, days: number): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
};

/** A new component of that kind, with a key not yet used in the plan. */
export function componentTemplate(kind: ComponentKind, plan: Pick<PlanDocument, 'components' | 'effectiveFrom' | 'currency'>): PlanComponent {
  const taken = plan.components.map((c) => c.key);
  const big = plan.currency === 'JPY' || plan.currency === 'KRW' ? 1 : 100;
  switch (kind) {
    case 'commission':
      return {
        kind,
        key: uniqueKey('commission', taken),
        name: 'Commission',
        description: '',
        credits: defaultCredits(),
        rateBps: 300,
        rateTable: [],
        partnerSourcedMultiplierBps: 10_000,
        partnerInfluencedMultiplierBps: 10_000,
        attainmentMultipliers: [],
        gate: null,
        capMinor: null,
      };
    case 'tiered':
      return {
        kind,
        key: uniqueKey('accelerator', taken),
        name: 'Accelerator',
        description: '',
        credits: defaultCredits(),
        mode: 'marginal',
        window: 'period',
        baseRateBps: null,
        tiers: [
          { fromBps: 0, toBps: 10_000, rateBps: 300 },
          { fromBps: 10_000, toBps: null, rateBps: 500 },
        ],
        partnerSourcedMultiplierBps: 10_000,
        partnerInfluencedMultiplierBps: 10_000,
        gate: null,
        capMinor: null,
      };
    case 'bonus':
      return {
        kind,
        key: uniqueKey('quota_bonus', taken),
        name: 'Quota bonus',
        description: '',
        targetIncentiveMinor: 5_000 * big,
        schedule: [
          { fromBps: 0, payoutBps: 0 },
          { fromBps: 8_000, payoutBps: 5_000 },
          { fromBps: 10_000, payoutBps: 10_000 },
        ],
        gate: null,
      };
    case 'accountability':
      return {
        kind,
        key: uniqueKey('partner_registrations_sla', taken),
        name: 'Partner registrations answered in time',
        description: '',
        metric: 'registrations_answered_within_sla_pct',
        direction: 'higher_is_better',
        target: 90,
        targetIncentiveMinor: 1_000 * big,
        thresholdBps: 5_000,
        capBps: 12_000,
        gate: null,
      };
    case 'spiff':
      return {
        kind,
        key: uniqueKey('partner_sourced_spiff', taken),
        name: 'Partner-sourced deal SPIFF',
        description: '',
        from: plan.effectiveFrom,
        to: addDays(plan.effectiveFrom, 90),
        credits: { ...defaultCredits(), sourcings: ['partner_sourced'] },
        minDealValueMinor: 0,
        perDealMinor: 250 * big,
        rateBps: 0,
        capMinor: null,
      };
    case 'draw':
      return {
        kind,
        key: uniqueKey('draw', taken),
        name: 'Draw',
        description: '',
        amountMinor: 2_000 * big,
        recoverable: true,
        guaranteePeriods: 1,
        recoveryBps: 5_000,
      };
  }
}

export type PlanTemplateId = 'commission' | 'accelerator' | 'partner_first';

export const planTemplates: { id: PlanTemplateId; label: string; description: string }[] = [
  { id: 'commission', label: 'Simple commission', description: 'One rate on all credited value.' },
  { id: 'accelerator', label: 'Commission with accelerator', description: 'A rate up to quota and a higher rate above it.' },
  {
    id: 'partner_first',
    label: 'Partner-first',
    description: 'Commission with partner-sourced deals paid at 1.2 x, and a SPIFF for partner-sourced deals.',
  },
];

const firstOfNextQuarter = (today: Date): string => {
  const q = Math.floor(today.getUTCMonth() / 3) + 1;
  return new Date(Date.UTC(today.getUTCFullYear(), q * 3, 1)).toISOString().slice(0, 10);
};

/** A whole plan to start from. `today` is passed in so callers control the clock. */
export function planTemplate(id: PlanTemplateId, input: { key: string; name: string; currency: string; today: Date }): PlanDocument {
  const effectiveFrom = firstOfNextQuarter(input.today);
  const base: PlanDocument = {
    format: PLAN_FORMAT,
    key: input.key,
    name: input.name,
    description: '',
    currency: input.currency,
    effectiveFrom,
    effectiveTo: null,
    payoutPeriod: 'quarter',
    fiscalYearStartMonth: 1,
    rounding: 'half_even',
    quota: { credits: defaultCredits(), proration: 'daily' },
    crediting: {
      partnerCredit: 'rules_of_the_road',
      directSellerCredit: 'full',
      partnerSourcedCreditBps: 10_000,
      partnerInfluencedCreditBps: 10_000,
      rollupLevels: 0,
    },
    clawback: { policy: 'full', withinDays: null },
    periodCapMinor: null,
    components: [],
  };
  switch (id) {
    case 'commission':
      return { ...base, components: [componentTemplate('commission', base)] };
    case 'accelerator':
      return { ...base, components: [componentTemplate('tiered', base)] };
    case 'partner_first': {
      const commission = componentTemplate('commission', base);
      if (commission.kind === 'commission') commission.partnerSourcedMultiplierBps = 12_000;
      const withCommission = { ...base, components: [commission] };
      return { ...withCommission, components: [commission, componentTemplate('spiff', withCommission)] };
    }
  }
}

/** A plan key from a name: "EMEA Sellers 2026" -> emea_sellers_2026. */
export function keyFromName(name: string): string {
  const key = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  return /^[a-z]/.test(key) ? key : `plan_${key}`.slice(0, 60).replace(/_+$/, '');
}
