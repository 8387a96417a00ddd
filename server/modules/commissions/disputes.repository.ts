import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { DisputeStatus } from '../../../common/api/commissions-disputes.ts';
import type { Trx } from '../../deps.ts';
import type { CommissionDisputeClaimTable, CommissionDisputeEventTable, CommissionDisputeTable } from './disputes.table.ts';

export type DisputeRow = Selectable<CommissionDisputeTable>;
export type ClaimRow = Selectable<CommissionDisputeClaimTable>;
export type EventRow = Selectable<CommissionDisputeEventTable>;

// ---------------------------------------------------------------------------------------------
// Cases

export async function nextReference(trx: Trx): Promise<string> {
  const r = await sql<{ n: string }>`select nextval('commission_dispute_reference_seq')::text as n`.execute(trx);
  return `DSP-${(r.rows[0]?.n ?? '0').padStart(6, '0')}`;
}

export async function insertDispute(trx: Trx, row: Insertable<CommissionDisputeTable>): Promise<void> {
  await trx.insertInto('commissionDispute').values(row).execute();
}

export async function updateDispute(trx: Trx, id: string, patch: Updateable<CommissionDisputeTable>): Promise<void> {
  await trx.updateTable('commissionDispute').set(patch).where('commissionDisputeId', '=', id).execute();
}

export async function findDispute(trx: Trx, id: string, lock = false): Promise<DisputeRow | undefined> {
  let q = trx.selectFrom('commissionDispute').selectAll().where('commissionDisputeId', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function disputesByIds(trx: Trx, ids: readonly string[]): Promise<DisputeRow[]> {
  if (ids.length === 0) return [];
  return trx.selectFrom('commissionDispute').selectAll().where('commissionDisputeId', 'in', ids).execute();
}

/** The cases merged into a case (their events and openers belong to its history). */
export async function mergedInto(trx: Trx, id: string): Promise<DisputeRow[]> {
  return trx.selectFrom('commissionDispute').selectAll().where('mergedIntoId', '=', id).orderBy('createdAt').execute();
}

/** Who may read which cases, decided by the service from the actor; applied in SQL so paging stays right. */
export type ListVisibility =
  { kind: 'all' } | { kind: 'partner'; partnerId: string } | { kind: 'internal'; userId: string; participantIds: readonly string[]; partnerSides: boolean };

export type ListFilter = {
  status?: DisputeStatus | undefined;
  openedBy?: string | undefined;
  assignee?: string | undefined;
  limit: number;
  offset: number;
};

export async function listDisputes(trx: Trx, v: ListVisibility, f: ListFilter): Promise<{ items: DisputeRow[]; total: number }> {
  let q = trx.selectFrom('commissionDispute as d');
  if (v.kind === 'partner') q = q.where('d.partnerId', '=', v.partnerId);
  if (v.kind === 'internal') {
    const { userId, participantIds, partnerSides } = v;
    q = q.where((eb) =>
      eb.or([
        eb('d.openedByUserId', '=', userId),
        eb('d.assigneeUserId', '=', userId),
        ...(partnerSides ? [eb('d.partnerId', 'is not', null)] : []),
        ...(participantIds.length > 0
          ? [
              eb.exists(
                eb
                  .selectFrom('commissionDisputeClaim as c')
                  .select(sql`1`.as('one'))
                  .whereRef('c.commissionDisputeId', '=', 'd.commissionDisputeId')
                  .where(sql<boolean>`c.participant_id = any(${[...participantIds]}::uuid[])`),
              ),
            ]
          : []),
      ]),
    );
  }
  if (f.status) q = q.where('d.status', '=', f.status);
  if (f.openedBy) q = q.where('d.openedByUserId', '=', f.openedBy);
  if (f.assignee) q = q.where('d.assigneeUserId', '=', f.assignee);
  const [items, t] = await Promise.all([
    q.selectAll('d').orderBy('d.updatedAt', 'desc').orderBy('d.reference', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(t.n) };
}

// ---------------------------------------------------------------------------------------------
// The seller side

export async function insertClaim(trx: Trx, row: Insertable<CommissionDisputeClaimTable>): Promise<void> {
  await trx.insertInto('commissionDisputeClaim').values(row).execute();
}

export async function claimsOf(trx: Trx, ids: readonly string[]): Promise<ClaimRow[]> {
  if (ids.length === 0) return [];
  return trx.selectFrom('commissionDisputeClaim').selectAll().where('commissionDisputeId', 'in', ids).execute();
}

export async function moveClaim(trx: Trx, fromId: string, toId: string): Promise<void> {
  await trx.updateTable('commissionDisputeClaim').set({ commissionDisputeId: toId }).where('commissionDisputeId', '=', fromId).execute();
}

// ---------------------------------------------------------------------------------------------
// History

export async function insertEvent(trx: Trx, row: Omit<Insertable<CommissionDisputeEventTable>, 'detail'> & { detail?: Record<string, unknown> | null }) {
  await trx
    .insertInto('commissionDisputeEvent')
    .values({ ...row, detail: row.detail ? JSON.stringify(row.detail) : null })
    .execute();
}

/** Events of some cases, oldest first. The detail is read as text: its keys are data (see ARCHITECTURE.md). */
export async function eventsOf(trx: Trx, ids: readonly string[], withInternal: boolean): Promise<(Omit<EventRow, 'detail'> & { detailText: string | null })[]> {
  if (ids.length === 0) return [];
  let q = trx
    .selectFrom('commissionDisputeEvent')
    .select([
      'commissionDisputeEventId',
      'commissionDisputeId',
      'seq',
      'at',
      'kind',
      'actorUserId',
      'actorPartnerId',
      'actorLabel',
      'internalOnly',
      'fromStatus',
      'toStatus',
      'body',
      sql<string | null>`detail::text`.as('detailText'),
    ])
    .where('commissionDisputeId', 'in', ids);
  if (!withInternal) q = q.where('internalOnly', '=', false);
  return q.orderBy('seq').execute();
}

// ---------------------------------------------------------------------------------------------
// What a case points at (read only: other modules' tables)

export async function findRegistration(trx: Trx, id: string) {
  return trx
    .selectFrom('dealRegistration')
    .select([
      'dealRegistrationId',
      'reference',
      'partnerId',
      'status',
      'endCustomerName',
      'valueMinor',
      'currency',
      'decidedAt',
      'decisionReason',
      'protectionEndsOn',
      'submittedByUserId',
    ])
    .where('dealRegistrationId', '=', id)
    .executeTakeFirst();
}
export type RegistrationRow = NonNullable<Awaited<ReturnType<typeof findRegistration>>>;

export async function registrationHistory(trx: Trx, id: string, withInternal: boolean) {
  let q = trx.selectFrom('registrationEvent').select(['at', 'kind', 'fromStatus', 'toStatus', 'note']).where('dealRegistrationId', '=', id);
  if (!withInternal) q = q.where('internalOnly', '=', false);
  return q.orderBy('at').orderBy('seq').execute();
}

export async function partnerName(trx: Trx, id: string): Promise<string | undefined> {
  return (await trx.selectFrom('partner').select('name').where('partnerId', '=', id).executeTakeFirst())?.name;
}

export async function userNames(trx: Trx, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await trx.selectFrom('appUser').select(['appUserId', 'displayName']).where('appUserId', 'in', unique).execute();
  return new Map(rows.map((r) => [r.appUserId, r.displayName]));
}

export async function findUser(trx: Trx, id: string) {
  return trx.selectFrom('appUser').select(['appUserId', 'displayName', 'partnerId', 'roles', 'status']).where('appUserId', '=', id).executeTakeFirst();
}

/** Internal users who can take a case: compensation administrators, finance, channel managers, administrators. */
export async function assignableUsers(trx: Trx) {
  return trx
    .selectFrom('appUser')
    .select(['appUserId', 'displayName', 'roles'])
    .where('partnerId', 'is', null)
    .where('status', '=', 'active')
    .where(sql<boolean>`roles && array['comp_admin', 'finance', 'channel_manager', 'admin']::text[]`)
    .orderBy('displayName')
    .limit(500)
    .execute();
}

export async function participantsByIds(trx: Trx, ids: readonly string[]) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map<string, { displayName: string; appUserId: string | null }>();
  const rows = await trx
    .selectFrom('compParticipant')
    .select(['compParticipantId', 'displayName', 'appUserId'])
    .where('compParticipantId', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.compParticipantId, { displayName: r.displayName, appUserId: r.appUserId }]));
}

/** The deal a participant is credited on (any role): its reference. */
export async function creditedTransaction(trx: Trx, participantId: string, salesTransactionId: string) {
  return trx
    .selectFrom('salesTransaction')
    .select(['transactionRef', 'recognisedOn'])
    .where('participantId', '=', participantId)
    .where('salesTransactionId', '=', salesTransactionId)
    .orderBy('role', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The plan currency of a participant over a period: the plan of the latest assignment overlapping it. */
export async function planCurrency(trx: Trx, participantId: string, start: string, end: string): Promise<string | undefined> {
  const r = await trx
    .selectFrom('compPlanAssignment as a')
    .innerJoin('compPlan as p', 'p.compPlanId', 'a.compPlanId')
    .select('p.currency')
    .where('a.compParticipantId', '=', participantId)
    .where('a.effectiveFrom', '<', end)
    .where((eb) => eb.or([eb('a.effectiveTo', 'is', null), eb('a.effectiveTo', '>', start)]))
    .orderBy('a.effectiveFrom', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.currency;
}

// ---------------------------------------------------------------------------------------------
// Periods and adjustments (the close module's tables: a dispute books into them the way a restatement does)

export type PeriodRow = { commissionPeriodId: string; periodStart: string; periodEnd: string; status: 'open' | 'closed' };

/** A period, share-locked: closing it (FOR UPDATE) waits for this transaction, and this one for a close. */
export async function periodForBooking(trx: Trx, id: string): Promise<PeriodRow | undefined> {
  return trx
    .selectFrom('commissionPeriod')
    .select(['commissionPeriodId', 'periodStart', 'periodEnd', 'status'])
    .where('commissionPeriodId', '=', id)
    .forShare()
    .executeTakeFirst();
}

/** The current open period: the earliest open period that has not ended on the day, share-locked. */
export async function currentOpenPeriod(trx: Trx, today: string): Promise<PeriodRow | undefined> {
  return trx
    .selectFrom('commissionPeriod')
    .select(['commissionPeriodId', 'periodStart', 'periodEnd', 'status'])
    .where('status', '=', 'open')
    .where('periodEnd', '>', today)
    .orderBy('periodStart')
    .limit(1)
    .forShare()
    .executeTakeFirst();
}

export async function periodStatus(trx: Trx, id: string): Promise<'open' | 'closed' | undefined> {
  return (await trx.selectFrom('commissionPeriod').select('status').where('commissionPeriodId', '=', id).executeTakeFirst())?.status;
}

/** Books a dispute's adjustment (migration 0018 guards: only into an open period, never changed afterwards). */
export async function insertDisputeAdjustment(
  trx: Trx,
  a: { id: string; participantId: string; periodId: string; currency: string; amountMinor: number; reason: string; disputeId: string },
): Promise<void> {
  await sql`insert into commission_adjustment
      (participant_id, commission_adjustment_id, commission_period_id, currency, amount_minor, reason, commission_dispute_id)
    values (${a.participantId}, ${a.id}, ${a.periodId}, ${a.currency}, ${a.amountMinor}, ${a.reason}, ${a.disputeId})`.execute(trx);
}

export type DisputeAdjustmentRow = {
  commissionAdjustmentId: string;
  participantId: string;
  commissionPeriodId: string;
  periodStart: string;
  periodEnd: string;
  amountMinor: number;
  currency: string;
  reason: string;
  createdAt: Date;
};

export async function adjustmentsOfDispute(trx: Trx, disputeId: string): Promise<DisputeAdjustmentRow[]> {
  const r = await sql<DisputeAdjustmentRow>`
    select a.commission_adjustment_id as "commissionAdjustmentId", a.participant_id as "participantId",
           a.commission_period_id as "commissionPeriodId", p.period_start::text as "periodStart", p.period_end::text as "periodEnd",
           a.amount_minor as "amountMinor", a.currency::text as "currency", a.reason, a.created_at as "createdAt"
      from commission_adjustment a join commission_period p on p.commission_period_id = a.commission_period_id
     where a.commission_dispute_id = ${disputeId}
     order by a.created_at, a.commission_adjustment_id`.execute(trx);
  return r.rows;
}
