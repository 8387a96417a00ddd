import type { z } from 'zod';
import {
  DEFAULT_QUIET_DAYS,
  QUIET_DAYS_SETTING,
  type closeReactivationTaskRequest,
  type EngagementSettingsView,
  type QuietPartnersView,
  type ReactivationTaskView,
  type ReengagementSummaryView,
  type updateEngagementSettingsRequest,
} from '../../../common/api/partners-reengagement.ts';
import { hasRole, type Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { notify } from '../notifications/notifications.service.ts';
import * as repo from './reengagement.repository.ts';

const DAY = 86_400_000;

/** Re-engagement is the vendor's own work: partners never see it (RLS keeps the tasks internal too). */
function canSeeReengagement(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'admin', 'programme_lead', 'channel_manager', 'executive'));
}
function canCloseAnyTask(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'admin', 'programme_lead'));
}
function requireReader(actor: Actor): void {
  if (!canSeeReengagement(actor)) throw new AppError('forbidden', 'Re-engagement is for channel managers, the programme lead, executives and administrators');
}

async function quietDaysIn(trx: Trx): Promise<number> {
  const raw = await repo.readSetting(trx, QUIET_DAYS_SETTING);
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_QUIET_DAYS;
}

export async function getEngagementSettings(deps: Deps, actor: Actor): Promise<EngagementSettingsView> {
  requireReader(actor);
  return inTransaction(deps, actor, async (trx) => ({ quietDays: await quietDaysIn(trx) }));
}

export async function updateEngagementSettings(
  deps: Deps,
  actor: Actor,
  input: z.output<typeof updateEngagementSettingsRequest>,
): Promise<EngagementSettingsView> {
  if (!(actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'admin')))) {
    throw new AppError('forbidden', 'Only administrators change engagement settings');
  }
  return inTransaction(deps, actor, async (trx) => {
    const before = await quietDaysIn(trx);
    await repo.writeSetting(trx, QUIET_DAYS_SETTING, String(input.quietDays));
    await recordAudit(trx, deps, actor, {
      action: 'setting.update',
      entityType: 'app_setting',
      entityId: QUIET_DAYS_SETTING,
      before: { quietDays: before },
      after: { quietDays: input.quietDays },
    });
    return { quietDays: input.quietDays };
  });
}

export async function listQuietPartners(
  deps: Deps,
  actor: Actor,
  q: { mine?: boolean | undefined; channelManagerUserId?: string | undefined },
): Promise<QuietPartnersView> {
  requireReader(actor);
  const now = deps.clock.now();
  const channelManagerUserId = q.mine && actor.kind === 'user' ? actor.userId : q.channelManagerUserId;
  return inTransaction(deps, actor, async (trx) => {
    const quietDays = await quietDaysIn(trx);
    const rows = await repo.findQuietPartners(trx, { now, quietDays, channelManagerUserId });
    return {
      quietDays,
      asOf: now.toISOString(),
      items: rows.map((r) => ({
        id: r.partnerId,
        name: r.name,
        tier: r.tier,
        channelManagerUserId: r.channelManagerUserId,
        channelManagerName: r.channelManagerName,
        lastEngagementAt: r.lastEngagementAt ? new Date(r.lastEngagementAt).toISOString() : null,
        quietSince: new Date(r.quietSince).toISOString(),
        quietForDays: Math.floor((now.getTime() - new Date(r.quietSince).getTime()) / DAY),
        openTaskId: r.openTaskId,
      })),
    };
  });
}

function taskView(r: repo.TaskRow): ReactivationTaskView {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: r.partnerReactivationTaskId,
    partnerId: r.partnerId,
    partnerName: r.partnerName,
    assignedToUserId: r.assignedToUserId,
    assignedToName: r.assignedToName,
    status: r.status,
    reason: r.reason,
    outcome: r.outcome,
    quietSince: iso(r.quietSince),
    createdAt: new Date(r.createdAt).toISOString(),
    closedAt: iso(r.closedAt),
    reactivatedAt: iso(r.reactivatedAt),
  };
}

export async function listReactivationTasks(
  deps: Deps,
  actor: Actor,
  q: { status?: 'open' | 'done' | 'dismissed' | undefined; mine?: boolean | undefined; limit: number; offset: number },
): Promise<{ items: ReactivationTaskView[]; total: number }> {
  requireReader(actor);
  const assignedToUserId = q.mine && actor.kind === 'user' ? actor.userId : undefined;
  return inTransaction(deps, actor, async (trx) => {
    const r = await repo.listTasks(trx, { status: q.status, assignedToUserId, limit: q.limit, offset: q.offset });
    return { items: r.items.map(taskView), total: r.total };
  });
}

/** The assignee closes their task (done with an outcome, or dismissed); the programme lead and admins close any. */
export async function closeReactivationTask(
  deps: Deps,
  actor: Actor,
  taskId: string,
  input: z.output<typeof closeReactivationTaskRequest>,
): Promise<ReactivationTaskView> {
  requireReader(actor);
  return inTransaction(deps, actor, async (trx) => {
    const before = (await repo.listTasks(trx, { taskId, limit: 1, offset: 0 })).items[0];
    if (!before) throw notFound('Re-activation task');
    const mine = actor.kind === 'user' && before.assignedToUserId === actor.userId;
    if (!mine && !canCloseAnyTask(actor))
      throw new AppError('forbidden', 'Only the assigned channel manager, the programme lead or an administrator closes this task');
    if (before.status !== 'open') throw new AppError('conflict', 'This task is already closed');
    if (input.status === 'done' && !input.outcome) {
      throw new AppError('validation_failed', 'Say what came of it', { issues: [{ path: 'body.outcome', message: 'is required when the task is done' }] });
    }
    const changed = await repo.closeTask(trx, taskId, { status: input.status, outcome: input.outcome, closedAt: deps.clock.now() });
    if (changed === 0) throw new AppError('conflict', 'This task is already closed');
    const after = (await repo.listTasks(trx, { taskId, limit: 1, offset: 0 })).items[0];
    if (!after) throw notFound('Re-activation task');
    const view = taskView(after);
    await recordAudit(trx, deps, actor, {
      action: 'partner_reactivation_task.close',
      entityType: 'partner_reactivation_task',
      entityId: taskId,
      partnerId: before.partnerId,
      before: { status: before.status },
      after: { status: view.status, outcome: view.outcome },
    });
    return view;
  });
}

/**
 * The recurring sweep: opens one task per quiet active partner that has none open, assigned to its
 * channel manager, who is notified; and closes open tasks whose partner has registered again.
 */
export async function sweepQuietPartners(deps: Deps, actor: Actor): Promise<{ opened: number; closed: number }> {
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const quietDays = await quietDaysIn(trx);
    let closed = 0;
    for (const t of await repo.findOpenTasksReactivated(trx)) {
      const outcome = `Reactivated: the partner submitted a registration on ${new Date(t.reactivatedAt).toISOString().slice(0, 10)}.`;
      if ((await repo.closeTask(trx, t.taskId, { status: 'done', outcome, closedAt: now })) === 0) continue;
      closed += 1;
      await recordAudit(trx, deps, actor, {
        action: 'partner_reactivation_task.close',
        entityType: 'partner_reactivation_task',
        entityId: t.taskId,
        partnerId: t.partnerId,
        before: { status: 'open' },
        after: { status: 'done', outcome },
      });
    }
    let opened = 0;
    for (const p of await repo.findQuietPartners(trx, { now, quietDays })) {
      if (p.openTaskId || p.recentlyClosedTask) continue;
      const taskId = newId();
      const since = new Date(p.quietSince);
      const reason = p.lastEngagementAt
        ? `No registration, offer response, sign-in or acknowledgement since ${since.toISOString().slice(0, 10)} (more than ${quietDays} days).`
        : `No engagement at all since the partner was added on ${since.toISOString().slice(0, 10)} (more than ${quietDays} days).`;
      const inserted = await repo.insertTask(trx, {
        taskId,
        partnerId: p.partnerId,
        assignedToUserId: p.channelManagerUserId,
        reason,
        quietSince: since,
        createdAt: now,
      });
      if (!inserted) continue;
      opened += 1;
      await recordAudit(trx, deps, actor, {
        action: 'partner_reactivation_task.create',
        entityType: 'partner_reactivation_task',
        entityId: taskId,
        partnerId: p.partnerId,
        after: { assignedToUserId: p.channelManagerUserId, reason },
      });
      if (p.channelManagerUserId) {
        await notify(trx, {
          userId: p.channelManagerUserId,
          partnerId: null,
          kind: 'partners.partner_quiet',
          title: `${p.name} has gone quiet`,
          body: reason,
          link: '/partners/reengagement',
        });
      }
    }
    return { opened, closed };
  });
}

export async function getReengagementSummary(deps: Deps, actor: Actor, q: { from: string; to: string }): Promise<ReengagementSummaryView> {
  requireReader(actor);
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const quietDays = await quietDaysIn(trx);
    const quiet = await repo.findQuietPartners(trx, { now, quietDays });
    const counts = await repo.reengagementCounts(trx, { from: new Date(`${q.from}T00:00:00Z`), to: new Date(`${q.to}T00:00:00Z`) });
    const managers = new Map<string, ReengagementSummaryView['byChannelManager'][number]>();
    const keyOf = (id: string | null) => id ?? '';
    for (const m of counts.byManager) {
      managers.set(keyOf(m.userId), { userId: m.userId, name: m.name, quiet: 0, openTasks: Number(m.openTasks), reactivated: Number(m.reactivated) });
    }
    for (const p of quiet) {
      const k = keyOf(p.channelManagerUserId);
      const row = managers.get(k) ?? { userId: p.channelManagerUserId, name: p.channelManagerName, quiet: 0, openTasks: 0, reactivated: 0 };
      row.quiet += 1;
      managers.set(k, row);
    }
    return {
      from: q.from,
      to: q.to,
      asOf: now.toISOString(),
      quietDays,
      quietCount: quiet.length,
      openTasks: counts.openTasks,
      reactivatedInPeriod: counts.reactivated,
      byMonth: counts.byMonth.map((m) => ({ month: m.month, tasksOpened: Number(m.tasksOpened), reactivated: Number(m.reactivated) })),
      byChannelManager: [...managers.values()].sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff')),
    };
  });
}
