import { sql } from 'kysely';
import type { Trx } from '../../db/scope.ts';
import type { QuotaRow } from './number.rules.ts';

/**
 * Quotas for "making the number", by subject (SQL only). Reads comp_quota and comp_participant
 * (comp-plans' tables) without writing them. Above the seller level only individual contributors'
 * quotas are added up: a manager's quota is the roll-up of their team's and would count twice.
 */
export async function quotaRows(
  trx: Trx,
  level: 'seller' | 'team' | 'unit' | 'programme',
  from: string,
  to: string,
  currency: string,
  participantIds: readonly string[] | null,
): Promise<(QuotaRow & { label: string })[]> {
  const key = level === 'seller' ? sql`s.comp_participant_id::text` : level === 'team' ? sql`s.team` : level === 'unit' ? sql`s.unit` : sql`'programme'::text`;
  const label = level === 'seller' ? sql`s.display_name` : level === 'programme' ? sql`'Programme'::text` : key;
  const individualsOnly =
    level === 'seller' ? sql`true` : sql`not exists (select 1 from comp_participant r where r.manager_participant_id = s.comp_participant_id)`;
  const only = participantIds ? sql`s.comp_participant_id::text = any(${[...participantIds]}::text[])` : sql`true`;
  const r = await sql<{ subjectId: string; label: string; amountMinor: string | number; periodStart: string; periodEnd: string }>`
    select ${key} as subject_id, ${label} as label, q.amount_minor, q.period_start, q.period_end
    from comp_quota q join comp_participant s on s.comp_participant_id = q.comp_participant_id
    where q.period_start < ${to}::date and q.period_end > ${from}::date and q.currency = ${currency}::text
      and ${key} is not null and ${individualsOnly} and ${only}`.execute(trx);
  return r.rows.map((x) => ({ ...x, amountMinor: Number(x.amountMinor) }));
}

export async function participantIdsOfUser(trx: Trx, userId: string): Promise<string[]> {
  const rows = await trx.selectFrom('compParticipant').select('compParticipantId').where('appUserId', '=', userId).execute();
  return rows.map((r) => r.compParticipantId);
}

export async function findOpportunity(trx: Trx, id: string) {
  return trx
    .selectFrom('opportunity as o')
    .innerJoin('compParticipant as s', 's.compParticipantId', 'o.sellerParticipantId')
    .select(['o.opportunityId', 'o.stage', 'o.forecastCategory', 'o.partnerId', 's.appUserId', 's.managerParticipantId'])
    .where('o.opportunityId', '=', id)
    .executeTakeFirst();
}

export async function setForecastCategory(trx: Trx, id: string, category: string, now: Date): Promise<void> {
  await trx.updateTable('opportunity').set({ forecastCategory: category, updatedAt: now }).where('opportunityId', '=', id).execute();
}

/** A user's open opportunities (as the seller they are credited to) closing in [from, to). */
export async function openOpportunitiesOfUser(trx: Trx, userId: string, from: string, to: string) {
  return trx
    .selectFrom('opportunity as o')
    .innerJoin('compParticipant as s', 's.compParticipantId', 'o.sellerParticipantId')
    .leftJoin('partner as p', 'p.partnerId', 'o.partnerId')
    .select([
      'o.opportunityId',
      'o.externalId',
      'o.accountName',
      'o.product',
      'o.scenario',
      'p.name as partnerName',
      'o.stage',
      'o.closeOn',
      'o.valueMinor',
      'o.currency',
      'o.forecastCategory',
    ])
    .where('s.appUserId', '=', userId)
    .where('o.stage', 'in', ['prospecting', 'engaging'])
    .where('o.closeOn', '>=', from)
    .where('o.closeOn', '<', to)
    .orderBy('o.valueMinor', (ob) => ob.desc().nullsLast())
    .orderBy('o.opportunityId')
    .limit(500)
    .execute();
}
