import { sql } from 'kysely';
import type { Trx } from '../../db/scope.ts';
import { lastEngagementAt } from './partners.repository.ts';

export async function readSetting(trx: Trx, key: string): Promise<string | undefined> {
  return (await trx.selectFrom('appSetting').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

export async function writeSetting(trx: Trx, key: string, value: string): Promise<void> {
  await trx
    .insertInto('appSetting')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

export type QuietPartnerRow = {
  partnerId: string;
  name: string;
  tier: string;
  channelManagerUserId: string | null;
  channelManagerName: string | null;
  lastEngagementAt: Date | null;
  quietSince: Date;
  openTaskId: string | null;
  /** A task for it was closed within the quiet period: the sweep leaves it to the manager until then. */
  recentlyClosedTask: boolean;
};

/**
 * Active partners whose last engagement (or, when they never engaged, their creation) is more
 * than `quietDays` before `now`.
 */
export async function findQuietPartners(trx: Trx, f: { now: Date; quietDays: number; channelManagerUserId?: string | undefined }): Promise<QuietPartnerRow[]> {
  const cm = f.channelManagerUserId ?? null;
  const r = await sql<QuietPartnerRow>`
select partner.partner_id, partner.name, partner.tier, partner.channel_manager_user_id, cm.display_name as channel_manager_name,
  le.last_engagement_at, coalesce(le.last_engagement_at, partner.created_at) as quiet_since,
  t.partner_reactivation_task_id as open_task_id,
  exists (select 1 from partner_reactivation_task c where c.partner_id = partner.partner_id and c.status <> 'open'
    and c.closed_at > ${f.now}::timestamptz - make_interval(days => ${f.quietDays}::int)) as recently_closed_task
from partner
cross join lateral (select ${lastEngagementAt} as last_engagement_at) le
left join app_user cm on cm.app_user_id = partner.channel_manager_user_id
left join partner_reactivation_task t on t.partner_id = partner.partner_id and t.status = 'open'
where partner.status = 'active'
  and coalesce(le.last_engagement_at, partner.created_at) < ${f.now}::timestamptz - make_interval(days => ${f.quietDays}::int)
  and (${cm}::uuid is null or partner.channel_manager_user_id = ${cm}::uuid)
order by quiet_since, partner.name`.execute(trx);
  return r.rows;
}

export async function insertTask(
  trx: Trx,
  row: { taskId: string; partnerId: string; assignedToUserId: string | null; reason: string; quietSince: Date; createdAt: Date },
): Promise<boolean> {
  // The partial unique index allows one open task per partner; a concurrent run simply adds nothing.
  const r = await sql`
insert into partner_reactivation_task (partner_reactivation_task_id, partner_id, assigned_to_user_id, status, reason, quiet_since, created_at)
values (${row.taskId}, ${row.partnerId}, ${row.assignedToUserId}, 'open', ${row.reason}, ${row.quietSince}, ${row.createdAt})
on conflict (partner_id) where status = 'open' do nothing`.execute(trx);
  return Number(r.numAffectedRows ?? 0) === 1;
}

export type TaskRow = {
  partnerReactivationTaskId: string;
  partnerId: string;
  partnerName: string;
  assignedToUserId: string | null;
  assignedToName: string | null;
  status: 'open' | 'done' | 'dismissed';
  reason: string;
  outcome: string | null;
  quietSince: Date | null;
  createdAt: Date;
  closedAt: Date | null;
  reactivatedAt: Date | null;
};

const reactivatedAt = sql<Date | null>`(select min(r.submitted_at) from deal_registration r
  where r.partner_id = t.partner_id and r.submitted_at > t.created_at)`;

export async function listTasks(
  trx: Trx,
  f: { status?: string | undefined; assignedToUserId?: string | undefined; taskId?: string | undefined; limit: number; offset: number },
): Promise<{ items: TaskRow[]; total: number }> {
  const status = f.status ?? null;
  const assigned = f.assignedToUserId ?? null;
  const taskId = f.taskId ?? null;
  const where = sql`(${status}::text is null or t.status = ${status}) and (${assigned}::uuid is null or t.assigned_to_user_id = ${assigned}::uuid)
    and (${taskId}::uuid is null or t.partner_reactivation_task_id = ${taskId}::uuid)`;
  const [items, count] = await Promise.all([
    sql<TaskRow>`
select t.partner_reactivation_task_id, t.partner_id, p.name as partner_name, t.assigned_to_user_id, u.display_name as assigned_to_name,
  t.status, t.reason, t.outcome, t.quiet_since, t.created_at, t.closed_at, ${reactivatedAt} as reactivated_at
from partner_reactivation_task t
join partner p on p.partner_id = t.partner_id
left join app_user u on u.app_user_id = t.assigned_to_user_id
where ${where}
order by (t.status = 'open') desc, t.created_at desc, t.partner_reactivation_task_id
limit ${f.limit} offset ${f.offset}`.execute(trx),
    sql<{ n: number }>`select count(*) as n from partner_reactivation_task t where ${where}`.execute(trx),
  ]);
  return { items: items.rows, total: Number(count.rows[0]?.n ?? 0) };
}

export async function closeTask(trx: Trx, taskId: string, patch: { status: 'done' | 'dismissed'; outcome: string | null; closedAt: Date }): Promise<number> {
  const r = await trx
    .updateTable('partnerReactivationTask')
    .set(patch)
    .where('partnerReactivationTaskId', '=', taskId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Open tasks whose partner has submitted a registration since the task was opened. */
export async function findOpenTasksReactivated(trx: Trx): Promise<{ taskId: string; partnerId: string; reactivatedAt: Date }[]> {
  const r = await sql<{ taskId: string; partnerId: string; reactivatedAt: Date }>`
select t.partner_reactivation_task_id as task_id, t.partner_id, ${reactivatedAt} as reactivated_at
from partner_reactivation_task t
where t.status = 'open' and ${reactivatedAt} is not null`.execute(trx);
  return r.rows;
}

export type SummaryRows = {
  openTasks: number;
  reactivated: number;
  byMonth: { month: string; tasksOpened: number; reactivated: number }[];
  byManager: { userId: string | null; name: string | null; openTasks: number; reactivated: number }[];
};

/**
 * Reactivation, derived: a partner counts once per period when it submitted a registration in the
 * period after a re-activation task had been opened for it (the first such submission per task).
 */
export async function reengagementCounts(trx: Trx, f: { from: Date; to: Date }): Promise<SummaryRows> {
  const reactivations = sql`
select t.partner_id, p.channel_manager_user_id, ${reactivatedAt} as reactivated_at
from partner_reactivation_task t join partner p on p.partner_id = t.partner_id`;
  const [open, reactivated, byMonth, byManager] = await Promise.all([
    sql<{ n: number }>`select count(*) as n from partner_reactivation_task where status = 'open'`.execute(trx),
    sql<{ n: number }>`select count(distinct partner_id) as n from (${reactivations}) x
      where reactivated_at >= ${f.from} and reactivated_at < ${f.to}`.execute(trx),
    sql<{ month: string; tasksOpened: number; reactivated: number }>`
with months as (
  select m::date as month from generate_series(date_trunc('month', ${f.from}::timestamptz at time zone 'UTC'),
    (${f.to}::timestamptz at time zone 'UTC') - interval '1 microsecond', interval '1 month') m
), x as (${reactivations})
select to_char(months.month, 'YYYY-MM') as month,
  (select count(*) from partner_reactivation_task t
    where date_trunc('month', t.created_at at time zone 'UTC')::date = months.month
      and t.created_at >= ${f.from} and t.created_at < ${f.to}) as tasks_opened,
  (select count(distinct x.partner_id) from x
    where date_trunc('month', x.reactivated_at at time zone 'UTC')::date = months.month
      and x.reactivated_at >= ${f.from} and x.reactivated_at < ${f.to}) as reactivated
from months order by months.month`.execute(trx),
    sql<{ userId: string | null; name: string | null; openTasks: number; reactivated: number }>`
with x as (${reactivations})
select p.channel_manager_user_id as user_id, u.display_name as name,
  count(*) filter (where t.status = 'open') as open_tasks,
  (select count(distinct x.partner_id) from x where x.channel_manager_user_id is not distinct from p.channel_manager_user_id
    and x.reactivated_at >= ${f.from} and x.reactivated_at < ${f.to}) as reactivated
from partner_reactivation_task t
join partner p on p.partner_id = t.partner_id
left join app_user u on u.app_user_id = p.channel_manager_user_id
group by p.channel_manager_user_id, u.display_name
order by u.display_name nulls last`.execute(trx),
  ]);
  return {
    openTasks: Number(open.rows[0]?.n ?? 0),
    reactivated: Number(reactivated.rows[0]?.n ?? 0),
    byMonth: byMonth.rows,
    byManager: byManager.rows,
  };
}
