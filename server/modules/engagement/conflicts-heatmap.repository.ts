import { sql } from 'kysely';
import type { HeatmapCell, HeatmapCustomer } from '../../../common/api/engagement-conflicts.ts';
import type { Trx } from '../../db/scope.ts';

/**
 * The SQL behind the conflict heat map (see HEATMAP_DESCRIPTION in common/api/engagement-conflicts.ts).
 *
 * A registration belongs to its matched account, or to the account a direct conflict found for it
 * by name, or else to its normalised end-customer name. One statement gathers the registrations of
 * the period and marks the customers that overlap; the customers, the cells and the values per
 * currency are read from it.
 */

type Period = { from: string; to: string; today: string; limit: number };

function minor(value: number | string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${value} does not fit a JavaScript number exactly`);
  return n;
}

/** Registrations of the period with their customer key, and the customers that overlap. */
function overlapCtes(p: Period) {
  return sql`
    regs as (
      select r.deal_registration_id, r.partner_id, r.scenario_id, r.value_minor, r.currency, r.submitted_at,
        coalesce(r.account_id, (select c.account_id from registration_conflict c
          where c.deal_registration_id = r.deal_registration_id and c.account_id is not null
          order by c.created_at, c.registration_conflict_id limit 1)) as account_id,
        r.end_customer_name, r.end_customer_normalised_name, r.end_customer_country
      from deal_registration r
      where r.submitted_at >= (${p.from}::date)::timestamp at time zone 'UTC'
        and r.submitted_at < (${p.to}::date)::timestamp at time zone 'UTC'
    ),
    keyed as (
      select x.*, a.name as account_name, a.country as account_country, a.segment as account_segment,
        case when x.account_id is not null then 'account:' || x.account_id::text else 'name:' || x.end_customer_normalised_name end as ckey
      from regs x left join account a on a.account_id = x.account_id
    ),
    conflicts_of as (
      select k.ckey, c.registration_conflict_id, c.status
      from keyed k join registration_conflict c on c.deal_registration_id = k.deal_registration_id or c.other_registration_id = k.deal_registration_id
    ),
    customers as (
      select k.ckey,
        (array_agg(k.account_id) filter (where k.account_id is not null))[1] as account_id,
        coalesce(min(k.account_name), (array_agg(k.end_customer_name order by k.submitted_at, k.deal_registration_id))[1]) as name,
        coalesce(min(k.account_country), (array_agg(k.end_customer_country order by k.submitted_at desc, k.deal_registration_id) filter (where k.end_customer_country is not null))[1]) as country,
        count(*)::int as registrations,
        count(distinct k.partner_id)::int as partners,
        coalesce((select count(distinct co.registration_conflict_id) from conflicts_of co where co.ckey = k.ckey and co.status = 'open'), 0)::int as open_conflicts,
        coalesce((select count(distinct co.registration_conflict_id) from conflicts_of co where co.ckey = k.ckey), 0)::int as all_conflicts
      from keyed k group by k.ckey
    ),
    overlapping as (
      select c.*, exists (
          select 1 from account_ownership o where o.account_id = c.account_id and o.kind = 'direct'
            and o.starts_on <= ${p.today}::date and (o.ends_on is null or o.ends_on > ${p.today}::date)
        ) as direct_owned
      from customers c
    ),
    hot as (
      select * from overlapping where direct_owned or partners >= 2 or all_conflicts > 0
    )`;
}

type CustomerRow = {
  ckey: string;
  accountId: string | null;
  name: string;
  country: string | null;
  registrations: number;
  partners: number;
  openConflicts: number;
  directOwned: boolean;
  valueTotals: { currency: string; total: string | number }[];
  totalCustomers: number;
};

type CellRow = { scenarioKey: string; scenarioName: string; sortOrder: number; col: string; registrations: number; customers: number };

export async function conflictHeatmap(
  trx: Trx,
  p: Period,
): Promise<{ customers: HeatmapCustomer[]; totalCustomers: number; byCountry: HeatmapCell[]; bySegment: HeatmapCell[] }> {
  const customers = await sql<CustomerRow>`
    with ${overlapCtes(p)}
    select h.ckey, h.account_id, h.name, h.country, h.registrations, h.partners, h.open_conflicts, h.direct_owned,
      (select coalesce(jsonb_agg(jsonb_build_object('currency', v.currency, 'total', v.total::text) order by v.currency), '[]'::jsonb)
        from (select k.currency, sum(k.value_minor) as total from keyed k where k.ckey = h.ckey group by k.currency) v) as value_totals,
      count(*) over ()::int as total_customers
    from hot h
    order by h.open_conflicts desc, h.partners desc, h.registrations desc, h.name, h.ckey
    limit ${p.limit}`.execute(trx);
  const cells = await sql<CellRow & { grid: 'country' | 'segment' }>`
    with ${overlapCtes(p)},
    hot_regs as (
      select k.*, coalesce(k.end_customer_country, k.account_country, '??') as country, coalesce(k.account_segment, 'unknown') as segment
      from keyed k join hot h on h.ckey = k.ckey
    )
    select 'country' as grid, s.key as scenario_key, s.name as scenario_name, s.sort_order, x.country as col,
      count(*)::int as registrations, count(distinct x.ckey)::int as customers
    from hot_regs x join scenario s on s.scenario_id = x.scenario_id
    group by s.key, s.name, s.sort_order, x.country
    union all
    select 'segment', s.key, s.name, s.sort_order, x.segment, count(*)::int, count(distinct x.ckey)::int
    from hot_regs x join scenario s on s.scenario_id = x.scenario_id
    group by s.key, s.name, s.sort_order, x.segment
    order by 1, 4, 2, 5`.execute(trx);
  const cell = (c: CellRow): HeatmapCell => ({
    scenarioKey: c.scenarioKey,
    scenarioName: c.scenarioName,
    column: c.col,
    registrations: c.registrations,
    customers: c.customers,
  });
  return {
    customers: customers.rows.map((c) => ({
      key: c.ckey,
      accountId: c.accountId,
      name: c.name,
      country: c.country,
      registrations: c.registrations,
      partners: c.partners,
      directOwned: c.directOwned,
      openConflicts: c.openConflicts,
      values: c.valueTotals.map((v) => ({ currency: v.currency, totalMinor: minor(v.total) })),
    })),
    totalCustomers: customers.rows[0]?.totalCustomers ?? 0,
    byCountry: cells.rows.filter((c) => c.grid === 'country').map(cell),
    bySegment: cells.rows.filter((c) => c.grid === 'segment').map(cell),
  };
}
