import { sql, type RawBuilder } from 'kysely';
import type { Trx } from '../../db/scope.ts';

/**
 * Materialises derived activities (source `derived`) from rows of other areas, keyed by the source
 * row (`external_ref` = `<table>:<id>`): running it again inserts what is new, corrects what moved
 * (a changed close date or seller) and removes what no longer qualifies (a won deal reopened, a
 * task reopened). Nothing else writes derived rows.
 */

export const DERIVED_KINDS = {
  partnerDealNonRenewal: 'partner_deal_non_renewal',
  partnerReactivationDone: 'partner_reactivation_done',
} as const;

/** One statement per kind: the rows that should exist, as (ref, participant, partner, day, note). */
function wantedPartnerDeals(): RawBuilder<unknown> {
  // Scenario unknown (no key, or a key the taxonomy lacks) is not counted: it is not shown to be outside renewals.
  return sql`select 'opportunity:' || o.opportunity_id::text as ref, o.seller_participant_id as participant_id, o.partner_id,
      o.close_on as occurred_on, left(coalesce(o.account_name, 'Opportunity') || ' (' || sc.name || ')', 2000) as note
    from opportunity o join scenario sc on sc.key = o.scenario
    where o.stage = 'won' and o.partner_id is not null and o.close_on is not null and not sc.is_renewal`;
}

function wantedReactivations(): RawBuilder<unknown> {
  return sql`select 'partner_reactivation_task:' || t.partner_reactivation_task_id::text as ref, s.comp_participant_id as participant_id,
      t.partner_id, (t.closed_at at time zone 'UTC')::date as occurred_on, left(coalesce(t.outcome, t.reason), 2000) as note
    from partner_reactivation_task t left join comp_participant s on s.app_user_id = t.assigned_to_user_id
    where t.status = 'done' and t.closed_at is not null`;
}

export type SyncCounts = { inserted: number; updated: number; removed: number };

async function syncKind(trx: Trx, kind: string, wanted: RawBuilder<unknown>): Promise<SyncCounts> {
  const r = await sql<{ inserted: number; updated: number; removed: number }>`with wanted as (${wanted}),
upserted as (
  insert into activity (activity_id, kind, participant_id, partner_id, occurred_on, quantity, note, source, external_ref)
  select gen_random_uuid(), ${kind}::text, w.participant_id, w.partner_id, w.occurred_on, 1, w.note, 'derived', w.ref from wanted w
  on conflict (source, external_ref) where external_ref is not null do update
    set participant_id = excluded.participant_id, partner_id = excluded.partner_id, occurred_on = excluded.occurred_on, note = excluded.note
    where (activity.participant_id, activity.partner_id, activity.occurred_on, activity.note)
      is distinct from (excluded.participant_id, excluded.partner_id, excluded.occurred_on, excluded.note)
  returning (xmax = 0) as inserted
),
removed as (
  delete from activity a where a.source = 'derived' and a.kind = ${kind}::text
    and not exists (select 1 from wanted w where w.ref = a.external_ref)
  returning 1
)
select (select count(*) from upserted where inserted)::int as inserted, (select count(*) from upserted where not inserted)::int as updated,
  (select count(*) from removed)::int as removed`.execute(trx);
  return r.rows[0] ?? { inserted: 0, updated: 0, removed: 0 };
}

export async function syncDerivedActivities(trx: Trx): Promise<Record<string, SyncCounts>> {
  return {
    [DERIVED_KINDS.partnerDealNonRenewal]: await syncKind(trx, DERIVED_KINDS.partnerDealNonRenewal, wantedPartnerDeals()),
    [DERIVED_KINDS.partnerReactivationDone]: await syncKind(trx, DERIVED_KINDS.partnerReactivationDone, wantedReactivations()),
  };
}
