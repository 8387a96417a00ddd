import { sql, type Insertable, type Updateable } from 'kysely';
import { NO_TEAM, type RecipientStatusName, type RolloutStatusName } from '../../../common/api/comp-rollout.ts';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/scope.ts';

/** SQL of plan rollouts and their recipients. */

// ---------------------------------------------------------------------------------------------
// Rollouts

function selectRollouts(trx: Trx) {
  return trx
    .selectFrom('compPlanRollout as r')
    .innerJoin('compPlanVersion as v', 'v.compPlanVersionId', 'r.compPlanVersionId')
    .innerJoin('compPlan as p', 'p.compPlanId', 'r.compPlanId')
    .leftJoin('appUser as u', 'u.appUserId', 'r.startedByUserId')
    .selectAll('r')
    .select(['v.version', 'p.key as planKey', 'p.name as planName', 'u.displayName as startedByName']);
}
export type RolloutRow = Awaited<ReturnType<ReturnType<typeof selectRollouts>['executeTakeFirstOrThrow']>>;

export async function insertRollout(trx: Trx, row: Insertable<DB['compPlanRollout']>): Promise<void> {
  await trx.insertInto('compPlanRollout').values(row).execute();
}

export async function findRollout(trx: Trx, id: string): Promise<RolloutRow | undefined> {
  return selectRollouts(trx).where('r.compPlanRolloutId', '=', id).executeTakeFirst();
}

export async function lockRollout(trx: Trx, id: string): Promise<void> {
  await trx.selectFrom('compPlanRollout').select('compPlanRolloutId').where('compPlanRolloutId', '=', id).forUpdate().execute();
}

export async function findRolloutOfVersion(trx: Trx, versionId: string): Promise<RolloutRow | undefined> {
  return selectRollouts(trx).where('r.compPlanVersionId', '=', versionId).executeTakeFirst();
}

export async function runningRollouts(trx: Trx): Promise<RolloutRow[]> {
  return selectRollouts(trx).where('r.status', '=', 'running').orderBy('r.startedAt').execute();
}

export async function listRollouts(
  trx: Trx,
  f: { planId?: string | undefined; status?: RolloutStatusName | undefined; limit: number; offset: number },
): Promise<{ rows: RolloutRow[]; total: number }> {
  let q = selectRollouts(trx);
  if (f.planId) q = q.where('r.compPlanId', '=', f.planId);
  if (f.status) q = q.where('r.status', '=', f.status);
  const [rows, total] = await Promise.all([
    q.orderBy('r.startedAt', 'desc').orderBy('v.version', 'desc').orderBy('r.compPlanRolloutId').limit(f.limit).offset(f.offset).execute(),
    q
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Ends the running rollout of a plan (a newer version replaces it); returns its id. */
export async function supersedeRunning(trx: Trx, planId: string, now: Date): Promise<string | undefined> {
  const r = await trx
    .updateTable('compPlanRollout')
    .set({ status: 'superseded', supersededAt: now, updatedAt: now })
    .where('compPlanId', '=', planId)
    .where('status', '=', 'running')
    .returning('compPlanRolloutId')
    .executeTakeFirst();
  return r?.compPlanRolloutId;
}

export async function updateRollout(trx: Trx, id: string, patch: Updateable<DB['compPlanRollout']>): Promise<void> {
  await trx.updateTable('compPlanRollout').set(patch).where('compPlanRolloutId', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// Recipients

/**
 * Adds as recipients the participants assigned to the plan on any day from `from` (before `to`)
 * who are not recipients yet and have not left; returns the new rows. Idempotent, so the job's
 * sweep can run it as often as it likes: it is how new joiners receive their plan.
 */
export async function addRecipients(
  trx: Trx,
  r: { rolloutId: string; planId: string; from: string; to: string | null; today: string; now: Date; joinedLate: boolean; dueOn: string | null },
): Promise<{ recipientId: string; participantId: string }[]> {
  const rows = await sql<{ recipientId: string; participantId: string }>`
    insert into comp_rollout_recipient (comp_rollout_recipient_id, comp_plan_rollout_id, comp_participant_id, status, joined_late, due_on, sent_at, updated_at)
    select gen_random_uuid(), ${r.rolloutId}, x.comp_participant_id, 'sent', ${r.joinedLate}, ${r.dueOn}::date, ${r.now}, ${r.now}
    from (
      select distinct a.comp_participant_id
      from comp_plan_assignment a
      join comp_participant p on p.comp_participant_id = a.comp_participant_id
      where a.comp_plan_id = ${r.planId}
        and daterange(a.effective_from, a.effective_to, '[)') && daterange(${r.from}::date, ${r.to}::date, '[)')
        and (p.active_to is null or p.active_to > ${r.today}::date)
    ) x
    order by x.comp_participant_id
    on conflict (comp_plan_rollout_id, comp_participant_id) do nothing
    returning comp_rollout_recipient_id as "recipientId", comp_participant_id as "participantId"`.execute(trx);
  return rows.rows;
}

/** Recipients with a login not told yet, in participant order after `afterParticipantId` (the notice job's batches). */
export async function recipientsToNotify(trx: Trx, rolloutId: string, afterParticipantId: string | null, limit: number) {
  let q = trx
    .selectFrom('compRolloutRecipient as r')
    .innerJoin('compParticipant as p', 'p.compParticipantId', 'r.compParticipantId')
    .select(['r.compRolloutRecipientId', 'r.compParticipantId', 'p.appUserId', 'p.displayName'])
    .where('r.compPlanRolloutId', '=', rolloutId)
    .where('r.notifiedAt', 'is', null)
    .where('p.appUserId', 'is not', null);
  if (afterParticipantId) q = q.where('r.compParticipantId', '>', afterParticipantId);
  return q.orderBy('r.compParticipantId').limit(limit).execute();
}

export async function markNotified(trx: Trx, recipientIds: readonly string[], now: Date): Promise<void> {
  if (recipientIds.length === 0) return;
  await trx.updateTable('compRolloutRecipient').set({ notifiedAt: now }).where('compRolloutRecipientId', 'in', recipientIds).execute();
}

function selectRecipients(trx: Trx) {
  return trx
    .selectFrom('compRolloutRecipient as r')
    .innerJoin('compPlanRollout as ro', 'ro.compPlanRolloutId', 'r.compPlanRolloutId')
    .innerJoin('compParticipant as p', 'p.compParticipantId', 'r.compParticipantId')
    .leftJoin('compParticipant as m', 'm.compParticipantId', 'p.managerParticipantId')
    .leftJoin('appUser as ru', 'ru.appUserId', 'r.resolvedByUserId')
    .selectAll('r')
    .select([
      'p.displayName as participantName',
      'p.externalRef',
      'p.team',
      'p.appUserId',
      'p.managerParticipantId',
      'm.displayName as managerName',
      'm.appUserId as managerUserId',
      'ru.displayName as resolvedByName',
      'ro.deadlineOn',
      'ro.compPlanVersionId',
    ]);
}
export type RecipientRow = Awaited<ReturnType<ReturnType<typeof selectRecipients>['executeTakeFirstOrThrow']>>;

export async function findRecipient(trx: Trx, id: string): Promise<RecipientRow | undefined> {
  return selectRecipients(trx).where('r.compRolloutRecipientId', '=', id).executeTakeFirst();
}

export async function lockRecipient(trx: Trx, id: string): Promise<RecipientRow | undefined> {
  await trx.selectFrom('compRolloutRecipient').select('compRolloutRecipientId').where('compRolloutRecipientId', '=', id).forUpdate().execute();
  return findRecipient(trx, id);
}

export async function findRecipientOf(trx: Trx, rolloutId: string, participantId: string): Promise<RecipientRow | undefined> {
  return selectRecipients(trx).where('r.compPlanRolloutId', '=', rolloutId).where('r.compParticipantId', '=', participantId).executeTakeFirst();
}

export type RecipientFilter = {
  status?: RecipientStatusName | 'overdue' | undefined;
  team?: string | undefined;
  q?: string | undefined;
  today: string;
  limit: number;
  offset: number;
};

export async function listRecipients(trx: Trx, rolloutId: string, f: RecipientFilter): Promise<{ rows: RecipientRow[]; total: number }> {
  let q = selectRecipients(trx).where('r.compPlanRolloutId', '=', rolloutId);
  if (f.status === 'overdue') q = q.where('r.status', '<>', 'acknowledged').where(sql<boolean>`coalesce(r.due_on, ro.deadline_on) < ${f.today}::date`);
  else if (f.status) q = q.where('r.status', '=', f.status);
  if (f.team === NO_TEAM) q = q.where('p.team', 'is', null);
  else if (f.team) q = q.where('p.team', '=', f.team);
  if (f.q) {
    const pattern = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where('p.searchKey', 'like', pattern);
  }
  const [rows, total] = await Promise.all([
    q.orderBy('p.displayName').orderBy('r.compRolloutRecipientId').limit(f.limit).offset(f.offset).execute(),
    q
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Open disputes of a rollout, oldest first. */
export async function openDisputes(trx: Trx, rolloutId: string, limit: number): Promise<RecipientRow[]> {
  return selectRecipients(trx).where('r.compPlanRolloutId', '=', rolloutId).where('r.status', '=', 'disputed').orderBy('r.disputedAt').limit(limit).execute();
}

export type CountRow = {
  rolloutId: string;
  team: string | null;
  total: number;
  sent: number;
  opened: number;
  acknowledged: number;
  disputed: number;
  overdue: number;
  escalated: number;
};

/** Counts by status, overdue and escalated, per rollout and team, in one statement. */
export async function countsByTeam(trx: Trx, rolloutIds: readonly string[], today: string): Promise<CountRow[]> {
  if (rolloutIds.length === 0) return [];
  const r = await sql<{ [K in keyof CountRow]: K extends 'team' ? string | null : K extends 'rolloutId' ? string : string }>`
    select r.comp_plan_rollout_id as "rolloutId", p.team,
      count(*) as total,
      count(*) filter (where r.status = 'sent') as sent,
      count(*) filter (where r.status = 'opened') as opened,
      count(*) filter (where r.status = 'acknowledged') as acknowledged,
      count(*) filter (where r.status = 'disputed') as disputed,
      count(*) filter (where r.status <> 'acknowledged' and coalesce(r.due_on, ro.deadline_on) < ${today}::date) as overdue,
      count(*) filter (where r.escalated_at is not null) as escalated
    from comp_rollout_recipient r
    join comp_plan_rollout ro on ro.comp_plan_rollout_id = r.comp_plan_rollout_id
    join comp_participant p on p.comp_participant_id = r.comp_participant_id
    where r.comp_plan_rollout_id = any(${sql.val(rolloutIds)}::uuid[])
    group by r.comp_plan_rollout_id, p.team
    order by p.team nulls last`.execute(trx);
  return r.rows.map((x) => ({
    rolloutId: x.rolloutId,
    team: x.team,
    total: Number(x.total),
    sent: Number(x.sent),
    opened: Number(x.opened),
    acknowledged: Number(x.acknowledged),
    disputed: Number(x.disputed),
    overdue: Number(x.overdue),
    escalated: Number(x.escalated),
  }));
}

export async function updateRecipient(trx: Trx, id: string, patch: Updateable<DB['compRolloutRecipient']>): Promise<void> {
  await trx.updateTable('compRolloutRecipient').set(patch).where('compRolloutRecipientId', '=', id).execute();
}

/** A participant's recipient rows with their rollouts, running first, newest first. */
export async function recipientsOfParticipant(trx: Trx, participantId: string) {
  return selectRecipients(trx)
    .innerJoin('compPlanVersion as v', 'v.compPlanVersionId', 'ro.compPlanVersionId')
    .innerJoin('compPlan as pl', 'pl.compPlanId', 'ro.compPlanId')
    .select(['ro.compPlanId', 'ro.status as rolloutStatus', 'ro.startedOn', 'v.version', 'pl.name as planName'])
    .where('r.compParticipantId', '=', participantId)
    .orderBy(sql`ro.status = 'running'`, 'desc')
    .orderBy('ro.startedAt', 'desc')
    .limit(50)
    .execute();
}

/**
 * Recipients of running rollouts due a reminder: not acknowledged nor disputed (a dispute waits
 * for the compensation administrator), with a login, and the rollout's interval passed since the
 * plan was sent or last reminded.
 */
export async function dueReminders(trx: Trx, now: Date, limit: number) {
  return selectRecipients(trx)
    .innerJoin('compPlan as pl', 'pl.compPlanId', 'ro.compPlanId')
    .select(['pl.name as planName', 'ro.compPlanRolloutId as rolloutId'])
    .where('ro.status', '=', 'running')
    .where('r.status', 'in', ['sent', 'opened'])
    .where('p.appUserId', 'is not', null)
    .where(sql<boolean>`coalesce(r.last_reminded_at, r.sent_at) + make_interval(days => ro.reminder_every_days) <= ${now}`)
    .orderBy('r.compRolloutRecipientId')
    .limit(limit)
    .execute();
}

/** Recipients of running rollouts to escalate to their manager: not acknowledged nor disputed, past due or reminded enough, not escalated yet. */
export async function dueEscalations(trx: Trx, today: string, limit: number) {
  return selectRecipients(trx)
    .innerJoin('compPlan as pl', 'pl.compPlanId', 'ro.compPlanId')
    .select(['pl.name as planName', 'ro.compPlanRolloutId as rolloutId'])
    .where('ro.status', '=', 'running')
    .where('r.status', 'in', ['sent', 'opened'])
    .where('r.escalatedAt', 'is', null)
    .where(sql<boolean>`(coalesce(r.due_on, ro.deadline_on) < ${today}::date or r.reminders_sent >= ro.escalate_after_reminders)`)
    .orderBy('r.compRolloutRecipientId')
    .limit(limit)
    .execute();
}
