import { sql } from 'kysely';
import type { Trx } from '../../db/scope.ts';

export type FrictionFilter = { from: Date; to: Date; now: Date; tier?: string | undefined; region?: string | undefined };

/** Which grouping set a row belongs to; the bits are GROUPING(scenario_key, unit, is_renewal). */
export const frictionGrouping = { scenarioUnit: 1, scenario: 3, unit: 5, renewal: 6, total: 7 } as const;

export type FrictionMetricsRow = {
  g: number;
  scenarioKey: string | null;
  scenarioName: string | null;
  unit: string | null;
  isRenewal: boolean | null;
  received: number;
  answered: number;
  medianResponseHours: number | null;
  p90ResponseHours: number | null;
  waiting: number;
  waitingOldestHours: number | null;
  waitingMedianHours: number | null;
  waitingPastSla: number;
  slaDue: number;
  slaBreached: number;
  slaHours: number | null;
  decided: number;
  approved: number;
  won: number;
  lost: number;
  valuesByCurrency: { currency: string; submittedMinor: number | string; wonMinor: number | string }[];
};

/**
 * Every friction figure for the period in one statement: a base set of registrations (received in
 * the period, or whose SLA came due / was breached in it), aggregated over grouping sets for
 * scenario, unit, scenario x unit, renewal vs not, and the total. Values are summed per currency
 * in the same grouping sets and attached as JSON, so currencies are never added together.
 */
export async function frictionMetrics(trx: Trx, f: FrictionFilter): Promise<FrictionMetricsRow[]> {
  const tier = f.tier ?? null;
  const region = f.region ?? null;
  const r = await sql<FrictionMetricsRow>`
with base as (
  select s.key as scenario_key, s.name as scenario_name, s.is_renewal,
    coalesce(r.owning_unit, '(unrouted)') as unit,
    r.status, r.value_minor, r.currency, r.submitted_at, r.sla_due_at, r.sla_breached_at,
    coalesce(r.first_response_at, r.decided_at) as responded_at,
    (r.submitted_at >= ${f.from} and r.submitted_at < ${f.to}) as received,
    ((r.sla_due_at >= ${f.from} and r.sla_due_at < least(${f.to}::timestamptz, ${f.now}::timestamptz))
      or (r.sla_breached_at >= ${f.from} and r.sla_breached_at < ${f.to})) as sla_counted
  from deal_registration r
  join scenario s on s.scenario_id = r.scenario_id
  join partner p on p.partner_id = r.partner_id
  where r.submitted_at is not null and r.status <> 'draft'
    -- Withdrawn by the partner before anyone answered: nothing was left waiting on the vendor.
    and not (r.status = 'withdrawn' and r.first_response_at is null and r.decided_at is null)
    and (${tier}::text is null or p.tier = ${tier})
    and (${region}::text is null or r.region = ${region})
    and ((r.submitted_at >= ${f.from} and r.submitted_at < ${f.to})
      or (r.sla_due_at >= ${f.from} and r.sla_due_at < least(${f.to}::timestamptz, ${f.now}::timestamptz))
      or (r.sla_breached_at >= ${f.from} and r.sla_breached_at < ${f.to}))
),
metrics as (
  select grouping(scenario_key, unit, is_renewal) as g, scenario_key, scenario_name, unit, is_renewal,
    count(*) filter (where received) as received,
    count(*) filter (where received and responded_at is not null) as answered,
    percentile_cont(0.5) within group (order by extract(epoch from responded_at - submitted_at) / 3600.0)
      filter (where received and responded_at is not null) as median_response_hours,
    percentile_cont(0.9) within group (order by extract(epoch from responded_at - submitted_at) / 3600.0)
      filter (where received and responded_at is not null) as p90_response_hours,
    count(*) filter (where received and responded_at is null) as waiting,
    (max(extract(epoch from ${f.now}::timestamptz - submitted_at) / 3600.0) filter (where received and responded_at is null))::float8 as waiting_oldest_hours,
    percentile_cont(0.5) within group (order by extract(epoch from ${f.now}::timestamptz - submitted_at) / 3600.0)
      filter (where received and responded_at is null) as waiting_median_hours,
    count(*) filter (where received and responded_at is null and sla_due_at < ${f.now}::timestamptz) as waiting_past_sla,
    count(*) filter (where sla_counted) as sla_due,
    count(*) filter (where sla_counted and (sla_breached_at is not null or responded_at > sla_due_at
      or (responded_at is null and sla_due_at < ${f.now}::timestamptz))) as sla_breached,
    percentile_cont(0.5) within group (order by extract(epoch from sla_due_at - submitted_at) / 3600.0)
      filter (where received and sla_due_at is not null) as sla_hours,
    count(*) filter (where received and status in ('approved', 'won', 'lost', 'expired', 'rejected')) as decided,
    count(*) filter (where received and status in ('approved', 'won', 'lost', 'expired')) as approved,
    count(*) filter (where received and status = 'won') as won,
    count(*) filter (where received and status = 'lost') as lost
  from base
  group by grouping sets ((scenario_key, scenario_name), (unit), (scenario_key, scenario_name, unit), (is_renewal), ())
),
value_sums as (
  select grouping(scenario_key, unit, is_renewal) as g, scenario_key, unit, is_renewal, currency,
    sum(value_minor) as submitted_minor, coalesce(sum(value_minor) filter (where status = 'won'), 0) as won_minor
  from base
  where received
  group by grouping sets ((scenario_key, currency), (unit, currency), (scenario_key, unit, currency), (is_renewal, currency), (currency))
),
value_lists as (
  select g, scenario_key, unit, is_renewal,
    jsonb_agg(jsonb_build_object('currency', currency, 'submittedMinor', submitted_minor, 'wonMinor', won_minor) order by currency) as values_by_currency
  from value_sums
  group by g, scenario_key, unit, is_renewal
)
select m.g, m.scenario_key, m.scenario_name, m.unit, m.is_renewal, m.received, m.answered,
  m.median_response_hours, m.p90_response_hours, m.waiting, m.waiting_oldest_hours, m.waiting_median_hours, m.waiting_past_sla,
  m.sla_due, m.sla_breached, m.sla_hours, m.decided, m.approved, m.won, m.lost,
  coalesce(v.values_by_currency, '[]'::jsonb) as values_by_currency
from metrics m
left join value_lists v on v.g = m.g and v.scenario_key is not distinct from m.scenario_key
  and v.unit is not distinct from m.unit and v.is_renewal is not distinct from m.is_renewal
order by m.g, m.scenario_key nulls first, m.unit nulls first, m.is_renewal nulls first`.execute(trx);
  return r.rows;
}

export type FrictionTrendRow = {
  bucket: string;
  isRenewal: boolean;
  received: number;
  medianResponseHours: number | null;
  slaDue: number;
  slaBreached: number;
};

/** Per bucket of submission date and renewal vs not; empty buckets are listed too. */
export async function frictionTrend(trx: Trx, f: FrictionFilter & { grain: 'week' | 'month' }): Promise<FrictionTrendRow[]> {
  const tier = f.tier ?? null;
  const region = f.region ?? null;
  const r = await sql<FrictionTrendRow>`
with buckets as (
  select b::date as bucket
  from generate_series(date_trunc(${f.grain}, ${f.from}::timestamptz at time zone 'UTC'),
    (${f.to}::timestamptz at time zone 'UTC') - interval '1 microsecond', ('1 ' || ${f.grain})::interval) as b
),
base as (
  select date_trunc(${f.grain}, r.submitted_at at time zone 'UTC')::date as bucket, s.is_renewal,
    r.submitted_at, r.sla_due_at, r.sla_breached_at, coalesce(r.first_response_at, r.decided_at) as responded_at
  from deal_registration r
  join scenario s on s.scenario_id = r.scenario_id
  join partner p on p.partner_id = r.partner_id
  where r.status <> 'draft' and r.submitted_at >= ${f.from} and r.submitted_at < ${f.to}
    and not (r.status = 'withdrawn' and r.first_response_at is null and r.decided_at is null)
    and (${tier}::text is null or p.tier = ${tier})
    and (${region}::text is null or r.region = ${region})
),
stats as (
  select bucket, is_renewal,
    count(*) as received,
    percentile_cont(0.5) within group (order by extract(epoch from responded_at - submitted_at) / 3600.0)
      filter (where responded_at is not null) as median_response_hours,
    count(*) filter (where sla_due_at <= ${f.now}::timestamptz or sla_breached_at is not null) as sla_due,
    count(*) filter (where (sla_due_at <= ${f.now}::timestamptz or sla_breached_at is not null)
      and (sla_breached_at is not null or responded_at > sla_due_at or (responded_at is null and sla_due_at < ${f.now}::timestamptz))) as sla_breached
  from base
  group by bucket, is_renewal
)
select to_char(b.bucket, 'YYYY-MM-DD') as bucket, k.is_renewal, coalesce(s.received, 0) as received, s.median_response_hours,
  coalesce(s.sla_due, 0) as sla_due, coalesce(s.sla_breached, 0) as sla_breached
from buckets b
cross join (values (true), (false)) as k(is_renewal)
left join stats s on s.bucket = b.bucket and s.is_renewal = k.is_renewal
order by b.bucket, k.is_renewal desc`.execute(trx);
  return r.rows;
}
