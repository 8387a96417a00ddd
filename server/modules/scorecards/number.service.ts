import type { MakingTheNumberView, MyOpenOpportunitiesQuery, MyOpenOpportunityList, NumberRow } from '../../../common/api/scorecard-number.ts';
import { makingTheNumberQuery, myOpenOpportunitiesQuery, setForecastCategoryRequest, type MakingTheNumberQuery } from '../../../common/api/scorecard-number.ts';
import { dateOf } from '../../../common/dates.ts';
import { metricDefinition, type MetricDefinition, type MetricFilter } from '../../../common/scorecards/metric.ts';
import { addPeriods, periodStartOf } from '../../../common/scorecards/scorecard.ts';
import { hasRole, type Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { computeMetric } from './metrics.repository.ts';
import * as repo from './number.repository.ts';
import { byGap, deriveNumberRow, proratedQuota } from './number.rules.ts';
import { canReadAllScores, isPartnerUser } from './scorecards.policy.ts';

/**
 * "How do we make our number now?": bookings and open pipeline come from the metric compiler (one
 * statement each, every subject at once: the same allow-listed SQL as every metric), quotas from
 * the comp-plans quota table, prorated to the period. Readers of every score see every subject; a
 * seller sees their own figures; partners get 404.
 */

const open: MetricFilter = { field: 'stage', op: 'in', values: ['prospecting', 'engaging'] };
const categories: Record<'commit' | 'bestCase' | 'pipeline', MetricFilter> = {
  commit: { field: 'forecast_category', op: 'eq', value: 'commit' },
  bestCase: { field: 'forecast_category', op: 'eq', value: 'best_case' },
  // No category set yet counts as pipeline.
  pipeline: { field: 'forecast_category', op: 'not_in', values: ['commit', 'best_case', 'omitted', 'closed'] },
};

function sumOfValue(key: string, filters: MetricFilter[], currency: string): MetricDefinition {
  return metricDefinition.parse({
    key,
    name: key,
    owner: 'Realign',
    unit: 'money',
    direction: 'higher_is_better',
    source: 'opportunities',
    measure: { kind: 'sum', field: 'value', filters },
    periodField: 'close_on',
    periodGrain: 'quarter',
    subjectKinds: ['seller', 'team', 'unit', 'partner', 'programme'],
    currency,
  });
}

type Level = MakingTheNumberView['level'];

async function rowsFor(trx: Trx, level: Level, from: string, to: string, currency: string, participantIds: readonly string[] | null): Promise<NumberRow[]> {
  // The span is one calendar month, quarter or year: a year grain puts all of it in one bucket.
  const wide = {
    subjectKind: level,
    grain: 'year' as const,
    from,
    to,
    currency,
    subjectIds: level === 'seller' && participantIds ? participantIds : undefined,
  };
  const compute = (def: MetricDefinition) => computeMetric(trx, def, wide);
  const booked = await compute(sumOfValue('booked', [{ field: 'stage', op: 'eq', value: 'won' }], currency));
  const pipes: Record<string, Awaited<ReturnType<typeof compute>>> = {};
  for (const side of ['direct', 'partner'] as const)
    for (const [name, filter] of Object.entries(categories))
      pipes[`${side}.${name}`] = await compute(
        sumOfValue(`${side}_${name.toLowerCase()}`, [open, { field: 'partner_linked', op: 'eq', value: side === 'partner' }, filter], currency),
      );
  const quotas = level === 'partner' ? [] : await repo.quotaRows(trx, level, from, to, currency, participantIds && level === 'seller' ? participantIds : null);
  const quota = proratedQuota(quotas, from, to, currency);

  const labels = new Map<string, string>();
  for (const r of [...booked, ...Object.values(pipes).flat()]) labels.set(r.subjectId, r.subjectLabel ?? r.subjectId);
  for (const r of quotas) if (!labels.has(r.subjectId)) labels.set(r.subjectId, r.label);
  const value = (rows: Awaited<ReturnType<typeof compute>>, id: string) => rows.find((r) => r.subjectId === id)?.value ?? 0;
  return [...labels].map(([subjectId, label]) =>
    deriveNumberRow(
      {
        subjectId,
        label,
        quotaMinor: quota.get(subjectId) ?? null,
        bookedMinor: value(booked, subjectId),
        direct: {
          commit: value(pipes['direct.commit'] ?? [], subjectId),
          bestCase: value(pipes['direct.bestCase'] ?? [], subjectId),
          pipeline: value(pipes['direct.pipeline'] ?? [], subjectId),
        },
        partner: {
          commit: value(pipes['partner.commit'] ?? [], subjectId),
          bestCase: value(pipes['partner.bestCase'] ?? [], subjectId),
          pipeline: value(pipes['partner.pipeline'] ?? [], subjectId),
        },
      },
      currency,
    ),
  );
}

export async function makingTheNumber(deps: Deps, actor: Actor, raw: MakingTheNumberQuery): Promise<MakingTheNumberView> {
  if (isPartnerUser(actor)) throw notFound('Figures');
  const q = makingTheNumberQuery.parse(raw);
  const from = periodStartOf(q.period ?? dateOf(deps.clock.now()), q.grain);
  const to = addPeriods(from, q.grain, 1);
  return inTransaction(deps, actor, async (trx) => {
    const reader = canReadAllScores(actor);
    let own: string[] | null = null;
    if (!reader) {
      own = actor.kind === 'user' ? await repo.participantIdsOfUser(trx, actor.userId) : [];
      if (own.length === 0) throw new AppError('forbidden', 'Your figures appear here once you are a participant (a seller) of the programme');
    }
    const level: Level = own ? 'seller' : q.level;
    const rows = (await rowsFor(trx, level, from, to, q.currency, own)).sort(byGap);
    const totalRows = own ? rows : await rowsFor(trx, 'programme', from, to, q.currency, null);
    const total =
      totalRows.find((r) => r.subjectId === 'programme') ??
      deriveNumberRow(
        {
          subjectId: 'total',
          label: 'Total',
          quotaMinor: rows.some((r) => r.quotaMinor !== null) ? rows.reduce((n, r) => n + (r.quotaMinor ?? 0), 0) : null,
          bookedMinor: rows.reduce((n, r) => n + r.bookedMinor, 0),
          direct: {
            commit: rows.reduce((n, r) => n + r.direct.commit, 0),
            bestCase: rows.reduce((n, r) => n + r.direct.bestCase, 0),
            pipeline: rows.reduce((n, r) => n + r.direct.pipeline, 0),
          },
          partner: {
            commit: rows.reduce((n, r) => n + r.partner.commit, 0),
            bestCase: rows.reduce((n, r) => n + r.partner.bestCase, 0),
            pipeline: rows.reduce((n, r) => n + r.partner.pipeline, 0),
          },
        },
        q.currency,
      );
    return { level, grain: q.grain, periodStart: from, periodEnd: to, currency: q.currency, total, rows, ownOnly: own !== null };
  });
}

/**
 * The owner sets the forecast category of an open opportunity: the seller it is credited to (through
 * their login), or the programme lead, a channel manager or an administrator.
 */
export async function setForecastCategory(deps: Deps, actor: Actor, opportunityId: string, raw: unknown): Promise<{ id: string; forecastCategory: string }> {
  if (isPartnerUser(actor)) throw notFound('Opportunity');
  const { forecastCategory } = setForecastCategoryRequest.parse(raw);
  return inTransaction(deps, actor, async (trx) => {
    const o = await repo.findOpportunity(trx, opportunityId);
    if (!o) throw notFound('Opportunity');
    const owner = actor.kind === 'user' && o.appUserId === actor.userId;
    if (!owner && !(actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'admin', 'programme_lead', 'channel_manager')))) {
      if (!canReadAllScores(actor)) throw notFound('Opportunity');
      throw new AppError('forbidden', 'The seller who owns the opportunity sets its forecast category');
    }
    if (o.stage === 'won' || o.stage === 'lost') throw new AppError('conflict', 'The opportunity is closed: its forecast category no longer changes');
    await repo.setForecastCategory(trx, opportunityId, forecastCategory, deps.clock.now());
    await recordAudit(trx, deps, actor, {
      action: 'opportunity.forecast_category',
      entityType: 'opportunity',
      entityId: opportunityId,
      partnerId: o.partnerId,
      before: { forecastCategory: o.forecastCategory },
      after: { forecastCategory },
    });
    return { id: opportunityId, forecastCategory };
  });
}

/**
 * The signed-in seller's open opportunities closing in the period: the ones whose forecast category
 * they set on the making-the-number page. Empty for users who are no seller; partners get 404.
 */
export async function myOpenOpportunities(deps: Deps, actor: Actor, raw: MyOpenOpportunitiesQuery): Promise<MyOpenOpportunityList> {
  if (isPartnerUser(actor)) throw notFound('Opportunity');
  const q = myOpenOpportunitiesQuery.parse(raw);
  const from = periodStartOf(q.period ?? dateOf(deps.clock.now()), q.grain);
  const to = addPeriods(from, q.grain, 1);
  if (actor.kind !== 'user') return { periodStart: from, periodEnd: to, items: [] };
  return inTransaction(deps, actor, async (trx) => ({
    periodStart: from,
    periodEnd: to,
    items: (await repo.openOpportunitiesOfUser(trx, actor.userId, from, to)).map((o) => ({
      id: o.opportunityId,
      externalId: o.externalId,
      accountName: o.accountName,
      product: o.product,
      scenario: o.scenario,
      partnerName: o.partnerName,
      stage: o.stage as 'prospecting' | 'engaging',
      closeOn: o.closeOn,
      valueMinor: o.valueMinor,
      currency: o.currency,
      forecastCategory: o.forecastCategory,
    })),
  }));
}
