import { addDays, dateOf } from '../../common/dates.ts';
import { defaultTierRulesInput } from '../../common/scorecards/tier-rules.ts';
import { addPeriods, periodStartOf, type ScorecardDefinitionInput } from '../../common/scorecards/scorecard.ts';
import type { MetricDefinitionInput } from '../../common/scorecards/metric.ts';
import { systemActor } from '../actor.ts';
import { inTransaction, type Deps } from '../deps.ts';
import { newId } from '../lib/ids.ts';
import { recordAudit } from '../modules/audit/audit.service.ts';
import { importActivitiesCsv } from '../modules/scorecards/activities.service.ts';
import { deriveActivities } from '../modules/scorecards/derived-activities.service.ts';
import { createMetric } from '../modules/scorecards/metrics.service.ts';
import { createScorecard } from '../modules/scorecards/scorecards.service.ts';
import { takeSnapshot } from '../modules/scorecards/snapshots.service.ts';
import { setScorecardTargets } from '../modules/scorecards/targets.service.ts';
import { saveTierRules } from '../modules/scorecards/tier-compliance.service.ts';

/**
 * The Helion demo's scorecards (issue 6, item 8): six months of opportunities for the demo sellers
 * (partner-registered and direct, every scenario, forecast categories on the open ones), logged
 * activities, the derived ones, two metrics built from the documented building blocks, the tier
 * rules, three scorecards (seller, partner, programme) with a few per-subject targets, and two
 * published snapshots: one for the partners, one for the oversight committee.
 *
 * `scorecardsDemoPlan` is pure (same inputs and random source, same plan); `loadScorecards` reads
 * the sellers and partners the earlier demo steps created and goes through the services.
 */

export type DemoSeller = { id: string; ref: string; isManager: boolean };
export type DemoPartner = { id: string; tier: string };
export type DemoOpportunity = {
  externalId: string;
  sellerParticipantId: string;
  partnerId: string | null;
  scenario: string;
  product: string;
  accountName: string;
  stage: 'prospecting' | 'engaging' | 'won' | 'lost';
  engageOn: string;
  closeOn: string;
  valueMinor: number;
  forecastCategory: 'pipeline' | 'best_case' | 'commit' | null;
};
export type DemoActivityRow = {
  ref: string;
  kind: string;
  participantRef: string;
  partnerId: string | null;
  occurredOn: string;
  quantity: number;
  note: string;
};
export type ScorecardsDemoPlan = { opportunities: DemoOpportunity[]; activities: DemoActivityRow[] };

const SOURCE = 'helion-crm';
const products = ['ProLiant Care', 'Storage Assurance', 'Network Operations', 'Hybrid Cloud Migration', 'Datacenter Consulting'] as const;
const customers = ['Aldwych Logistics', 'Brightwater Health', 'Corvid Retail', 'Dunmore Energy', 'Eastgate Council', 'Fenwick Insurance', 'Greyfield Foods'];
const activityKinds = [
  { kind: 'joint_partner_call', note: 'Joint customer call' },
  { kind: 'enablement_session', note: 'Enablement on the new rules of the road' },
  { kind: 'business_review', note: 'Quarterly business review' },
] as const;

function pick<T>(random: () => number, xs: readonly T[]): T {
  return xs[Math.floor(random() * xs.length) % xs.length] as T;
}

/** Six months back from `today` to two months ahead: decided deals in the past, open ones ahead. */
export function scorecardsDemoPlan(
  sellers: readonly DemoSeller[],
  partners: readonly DemoPartner[],
  scenarios: readonly string[],
  random: () => number,
  today: string,
): ScorecardsDemoPlan {
  const opportunities: DemoOpportunity[] = [];
  const activities: DemoActivityRow[] = [];
  const start = addPeriods(periodStartOf(today, 'month'), 'month', -6);
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
  for (const s of sellers.filter((x) => !x.isManager)) {
    const n = 10 + Math.floor(random() * 8);
    for (let i = 0; i < n; i++) {
      const partner = partners.length && random() < 0.45 ? pick(random, partners) : null;
      // Renewals come mostly from partners: the unit's old habit the programme is changing.
      const scenario = partner && random() < 0.4 ? 'maintenance_renewal' : pick(random, scenarios);
      const engageOn = addDays(start, Math.floor(random() * days));
      const cycle = 20 + Math.floor(random() * 90);
      let closeOn = addDays(engageOn, cycle);
      const decided = closeOn < today;
      const won = random() < (partner ? 0.6 : 0.45);
      const stage: DemoOpportunity['stage'] = decided ? (won ? 'won' : 'lost') : random() < 0.25 ? 'prospecting' : 'engaging';
      if (!decided && closeOn > addDays(today, 75)) closeOn = addDays(today, 15 + Math.floor(random() * 60));
      const value = (5_000 + Math.floor(random() * 120) * 1_000) * 100;
      const forecast = stage === 'engaging' || stage === 'prospecting' ? pick(random, ['pipeline', 'best_case', 'commit', null] as const) : null;
      opportunities.push({
        externalId: `HEL-OPP-${s.ref}-${String(i + 1).padStart(3, '0')}`,
        sellerParticipantId: s.id,
        partnerId: partner?.id ?? null,
        scenario,
        product: pick(random, products),
        accountName: pick(random, customers),
        stage,
        engageOn,
        closeOn,
        valueMinor: stage === 'lost' ? 0 : value,
        forecastCategory: forecast,
      });
    }
    for (let m = 0; m < 6; m++) {
      const month = addPeriods(start, 'month', m);
      for (const a of activityKinds) {
        const count = Math.floor(random() * (a.kind === 'joint_partner_call' ? 4 : 2));
        for (let k = 0; k < count; k++) {
          const day = addDays(month, Math.floor(random() * 27));
          if (day >= today) continue;
          const partner = partners.length ? pick(random, partners) : null;
          activities.push({
            ref: `helion-${a.kind}-${s.ref}-${month}-${k + 1}`,
            kind: a.kind,
            participantRef: s.ref,
            partnerId: partner?.id ?? null,
            occurredOn: day,
            quantity: 1,
            note: a.note,
          });
        }
      }
    }
  }
  return { opportunities, activities };
}

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function activitiesCsv(rows: readonly DemoActivityRow[]): string {
  const lines = ['external_ref,kind,participant_ref,partner_id,occurred_on,quantity,note'];
  for (const r of rows) lines.push([r.ref, r.kind, r.participantRef, r.partnerId ?? '', r.occurredOn, String(r.quantity), r.note].map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}

export const demoMetrics: MetricDefinitionInput[] = [
  {
    key: 'registrations_within_sla',
    name: 'Registrations answered within SLA',
    description: 'Share of the partner registrations submitted in the period that got a first answer within their SLA.',
    owner: 'Channel office',
    unit: 'ratio',
    direction: 'higher_is_better',
    source: 'registrations',
    filters: [{ field: 'status', op: 'not_in', values: ['draft', 'withdrawn'] }],
    measure: {
      kind: 'ratio',
      numerator: { kind: 'count', filters: [{ field: 'answered_within_sla', op: 'eq', value: true }] },
      denominator: { kind: 'count', filters: [] },
    },
    periodField: 'submitted_on',
    periodGrain: 'quarter',
    subjectKinds: ['seller', 'manager', 'team', 'unit', 'partner', 'programme'],
  },
  {
    key: 'partner_deals_outside_renewals',
    name: 'Partner deals won outside renewals',
    description: 'Deals won with a partner in any scenario but maintenance renewal (derived activities).',
    owner: 'Channel office',
    unit: 'count',
    direction: 'higher_is_better',
    source: 'activities',
    filters: [],
    measure: { kind: 'count', filters: [{ field: 'kind', op: 'eq', value: 'partner_deal_non_renewal' }] },
    periodField: 'occurred_on',
    periodGrain: 'quarter',
    subjectKinds: ['seller', 'manager', 'team', 'unit', 'partner', 'programme'],
  },
];

export const demoScorecards: ScorecardDefinitionInput[] = [
  {
    key: 'helion_sellers',
    name: 'Seller scorecard',
    description: 'Win rate, won value, partner work: the behaviour the new comp plan rewards.',
    owner: 'Sales operations',
    subjectKind: 'seller',
    periodGrain: 'quarter',
    trendPeriods: 3,
    rows: [
      { metric: 'win_rate', weight: 3, target: 0.55, redFlag: 0.35 },
      { metric: 'won_value', weight: 3, target: 40_000_000, redFlag: 15_000_000 },
      { metric: 'joint_partner_calls', weight: 2, target: 6, redFlag: 2 },
      { metric: 'partner_deals_outside_renewals', weight: 2, target: 2, redFlag: 0 },
    ],
    audiences: [{ kind: 'internal' }],
    schedule: 'period_end',
  },
  {
    key: 'helion_partners',
    name: 'Partner scorecard',
    description: 'How each partner is served and how it sells beyond renewals; partners see their own row and peer quartiles.',
    owner: 'Channel office',
    subjectKind: 'partner',
    periodGrain: 'quarter',
    trendPeriods: 3,
    rows: [
      { metric: 'registrations_within_sla', weight: 2, target: 0.9, redFlag: 0.7 },
      { metric: 'partner_deals_outside_renewals', weight: 3, target: 2, redFlag: 0 },
      { metric: 'won_value', weight: 2, target: 20_000_000, redFlag: 5_000_000 },
    ],
    audiences: [{ kind: 'partners' }, { kind: 'internal' }],
    schedule: 'none',
  },
  {
    key: 'helion_programme',
    name: 'Programme scorecard',
    description: 'The realignment as a whole, for the oversight committee.',
    owner: 'Programme lead',
    subjectKind: 'programme',
    periodGrain: 'quarter',
    trendPeriods: 3,
    rows: [
      { metric: 'registrations_within_sla', weight: 3, target: 0.9, redFlag: 0.7 },
      { metric: 'partner_sourced_share', weight: 2, target: 0.4, redFlag: 0.2 },
      { metric: 'win_rate', weight: 2, target: 0.55, redFlag: 0.35 },
      { metric: 'partner_deals_outside_renewals', weight: 3, target: 30, redFlag: 10 },
    ],
    audiences: [{ kind: 'committee', roles: ['executive', 'programme_lead'] }],
    schedule: 'none',
  },
];

export type ScorecardsDemoCounts = { opportunities: number; activities: number; derivedActivities: number; scorecards: number; publishedSnapshots: number };

export async function loadScorecards(deps: Deps, random: () => number): Promise<ScorecardsDemoCounts> {
  const actor = systemActor('demo');
  const today = dateOf(deps.clock.now());
  const { sellers, partners, scenarios } = await inTransaction(deps, actor, async (trx) => ({
    sellers: (
      await trx.selectFrom('compParticipant').select(['compParticipantId', 'externalRef', 'managerParticipantId']).orderBy('externalRef').execute()
    ).map((p) => ({ id: p.compParticipantId, ref: p.externalRef, isManager: p.managerParticipantId === null })),
    partners: (await trx.selectFrom('partner').select(['partnerId', 'tier']).where('status', '=', 'active').orderBy('name').execute()).map((p) => ({
      id: p.partnerId,
      tier: p.tier,
    })),
    scenarios: (await trx.selectFrom('scenario').select('key').where('active', '=', true).orderBy('sortOrder').execute()).map((s) => s.key),
  }));
  const plan = scorecardsDemoPlan(sellers, partners, scenarios, random, today);

  await inTransaction(deps, actor, async (trx) => {
    const now = deps.clock.now();
    for (let i = 0; i < plan.opportunities.length; i += 1000) {
      const chunk = plan.opportunities.slice(i, i + 1000);
      await trx
        .insertInto('opportunity')
        .values(chunk.map((o) => ({ opportunityId: newId(), source: SOURCE, currency: 'USD', createdAt: now, updatedAt: now, ...o })))
        .execute();
      await recordAudit(trx, deps, actor, {
        action: 'demo.load',
        entityType: 'opportunity',
        entityId: null,
        after: { phase: 'batch', inserted: chunk.length },
      });
    }
  });
  const imported = await importActivitiesCsv(deps, actor, activitiesCsv(plan.activities));
  const derived = await deriveActivities(deps, actor);

  for (const m of demoMetrics) await createMetric(deps, actor, m);
  await saveTierRules(deps, actor, defaultTierRulesInput);
  for (const c of demoScorecards) await createScorecard(deps, actor, c);

  // A seller who is ramping up has a lower bar; platinum partners a higher one.
  const ramping = sellers.find((s) => !s.isManager);
  if (ramping)
    await setScorecardTargets(deps, actor, 'helion_sellers', {
      targets: [
        { metric: 'won_value', subjectKind: 'seller', subject: ramping.id, target: 20_000_000, redFlag: 5_000_000, note: 'First two quarters: ramping up' },
      ],
    });
  if (partners.some((p) => p.tier === 'platinum'))
    await setScorecardTargets(deps, actor, 'helion_partners', {
      targets: [
        { metric: 'partner_deals_outside_renewals', subjectKind: 'partner_tier', subject: 'platinum', target: 4, redFlag: 1, note: 'Platinum leads the shift' },
      ],
    });

  // The last complete quarter, published: partners see their own row, the committee the programme.
  const lastQuarter = addPeriods(periodStartOf(today, 'quarter'), 'quarter', -1);
  let published = 0;
  for (const key of ['helion_partners', 'helion_programme']) {
    await takeSnapshot(deps, actor, { scorecard: key, period: lastQuarter, publish: true });
    published += 1;
  }
  return {
    opportunities: plan.opportunities.length,
    activities: imported.inserted,
    derivedActivities: Object.values(derived).reduce((n, c) => n + c.inserted, 0),
    scorecards: demoScorecards.length,
    publishedSnapshots: published,
  };
}
