import type { FrictionQuery, FrictionReport, FrictionRow, FrictionTrend, FrictionTrendQuery } from '../../../common/api/engagement-friction.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps } from '../../deps.ts';
import { AppError } from '../../lib/errors.ts';
import { canSeeFriction } from './friction.policy.ts';
import * as repo from './friction.repository.ts';

const startOf = (date: string) => new Date(`${date}T00:00:00Z`);
const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

function minor(value: number | string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${value} does not fit a JavaScript number exactly`);
  return n;
}

function toRow(m: repo.FrictionMetricsRow, stallBreachRate: number): FrictionRow {
  const breachRate = rate(m.slaBreached, m.slaDue);
  const stallReasons: FrictionRow['stallReasons'] = [];
  if (breachRate !== null && breachRate > stallBreachRate) stallReasons.push('breach_rate');
  if (m.medianResponseHours !== null && m.slaHours !== null && m.medianResponseHours > m.slaHours) stallReasons.push('median_over_sla');
  if (m.waitingPastSla > 0) stallReasons.push('waiting_past_sla');
  return {
    scenarioKey: m.scenarioKey,
    scenarioName: m.scenarioName,
    unit: m.unit,
    isRenewal: m.isRenewal,
    received: m.received,
    answered: m.answered,
    medianResponseHours: m.medianResponseHours,
    p90ResponseHours: m.p90ResponseHours,
    waiting: m.waiting,
    waitingOldestHours: m.waitingOldestHours,
    waitingMedianHours: m.waitingMedianHours,
    waitingPastSla: m.waitingPastSla,
    slaDue: m.slaDue,
    slaBreached: m.slaBreached,
    breachRate,
    slaHours: m.slaHours,
    decided: m.decided,
    approved: m.approved,
    approvalRate: rate(m.approved, m.decided),
    won: m.won,
    lost: m.lost,
    winRate: rate(m.won, m.won + m.lost),
    values: m.valuesByCurrency.map((v) => ({ currency: v.currency, submittedMinor: minor(v.submittedMinor), wonMinor: minor(v.wonMinor) })),
    stalled: stallReasons.length > 0,
    stallReasons,
  };
}

const emptyTotal = (): repo.FrictionMetricsRow => ({
  g: repo.frictionGrouping.total,
  scenarioKey: null,
  scenarioName: null,
  unit: null,
  isRenewal: null,
  received: 0,
  answered: 0,
  medianResponseHours: null,
  p90ResponseHours: null,
  waiting: 0,
  waitingOldestHours: null,
  waitingMedianHours: null,
  waitingPastSla: 0,
  slaDue: 0,
  slaBreached: 0,
  slaHours: null,
  decided: 0,
  approved: 0,
  won: 0,
  lost: 0,
  valuesByCurrency: [],
});

function refuse(): AppError {
  return new AppError('forbidden', 'Friction analytics are for executives, the programme lead, channel managers and administrators');
}

/** Friction by scenario, unit or both, with renewal vs non-renewal and the total, for [from, to). */
export async function getFrictionReport(deps: Deps, actor: Actor, q: FrictionQuery): Promise<FrictionReport> {
  if (!canSeeFriction(actor)) throw refuse();
  const now = deps.clock.now();
  const rows = await inTransaction(deps, actor, (trx) =>
    repo.frictionMetrics(trx, { from: startOf(q.from), to: startOf(q.to), now, tier: q.tier, region: q.region }),
  );
  const wanted = { scenario: repo.frictionGrouping.scenario, unit: repo.frictionGrouping.unit, scenario_unit: repo.frictionGrouping.scenarioUnit }[q.groupBy];
  const of = (g: number) => rows.filter((r) => r.g === g).map((r) => toRow(r, q.stallBreachRate));
  return {
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    asOf: now.toISOString(),
    stallBreachRate: q.stallBreachRate,
    groups: of(wanted),
    renewal: of(repo.frictionGrouping.renewal),
    total: toRow(rows.find((r) => r.g === repo.frictionGrouping.total) ?? emptyTotal(), q.stallBreachRate),
  };
}

export async function getFrictionTrend(deps: Deps, actor: Actor, q: FrictionTrendQuery): Promise<FrictionTrend> {
  if (!canSeeFriction(actor)) throw refuse();
  const now = deps.clock.now();
  const rows = await inTransaction(deps, actor, (trx) =>
    repo.frictionTrend(trx, { from: startOf(q.from), to: startOf(q.to), now, tier: q.tier, region: q.region, grain: q.grain }),
  );
  return {
    from: q.from,
    to: q.to,
    grain: q.grain,
    points: rows.map((r) => ({
      bucket: r.bucket,
      isRenewal: r.isRenewal,
      received: r.received,
      medianResponseHours: r.medianResponseHours,
      slaDue: r.slaDue,
      slaBreached: r.slaBreached,
      breachRate: rate(r.slaBreached, r.slaDue),
    })),
  };
}
