import type { z } from 'zod';
import type { ActivityImportReport, ActivityPage, ActivityView, activityListQuery, logActivityRequest } from '../../../common/api/scorecards.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { parseActivityCsv, resolveActivityRows } from './activities-csv.rules.ts';
import * as repo from './activities.repository.ts';
import { participantByUser, participantExists, participantsByRef } from './opportunities.repository.ts';
import { canLogForOthers, canReadAllScores, isPartnerUser } from './scorecards.policy.ts';

const INSERT_CHUNK = 1000;

function hideFromPartners(actor: Actor): void {
  if (isPartnerUser(actor)) throw notFound('Activity');
}

function toView(r: repo.ActivityRow): ActivityView {
  return {
    id: r.activityId,
    kind: r.kind,
    kindName: r.kindName,
    participantId: r.participantId,
    participantName: r.participantName,
    partnerId: r.partnerId,
    partnerName: r.partnerName,
    occurredOn: r.occurredOn,
    quantity: r.quantity,
    note: r.note,
    source: r.source,
    externalRef: r.externalRef,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

async function ownParticipantId(trx: Trx, actor: Actor): Promise<string | null> {
  if (actor.kind !== 'user') return null;
  return (await participantByUser(trx, actor.userId))?.compParticipantId ?? null;
}

export async function listActivityTypes(deps: Deps, actor: Actor) {
  hideFromPartners(actor);
  return inTransaction(deps, actor, (trx) => repo.listActivityTypes(trx));
}

/**
 * Logs one activity. A seller logs their own (participantId empty or theirs); the programme lead,
 * channel managers and administrators log anyone's. With an externalRef, logging the same activity
 * again returns the one stored and changes nothing.
 */
export async function logActivity(deps: Deps, actor: Actor, input: z.output<typeof logActivityRequest>): Promise<{ activity: ActivityView; created: boolean }> {
  hideFromPartners(actor);
  return inTransaction(deps, actor, async (trx) => {
    if (input.externalRef !== null) {
      const existing = await repo.findActivityByRef(trx, 'manual', input.externalRef);
      if (existing) return { activity: toView(existing), created: false };
    }
    let participantId = input.participantId;
    if (!canLogForOthers(actor)) {
      const own = await ownParticipantId(trx, actor);
      if (own === null) throw new AppError('forbidden', 'You are not a participant (seller, manager): ask an administrator to link your user');
      if (participantId !== null && participantId !== own) throw new AppError('forbidden', 'Sellers log their own activities');
      participantId = own;
    }
    if (participantId === null && input.partnerId === null) throw invalid('body.participantId', 'name the participant or the partner the activity belongs to');
    const types = await repo.listActivityTypes(trx);
    const type = types.find((t) => t.key === input.kind);
    if (!type || !type.active)
      throw invalid(
        'body.kind',
        `is not an active activity type (${types
          .filter((t) => t.active)
          .map((t) => t.key)
          .join(', ')})`,
      );
    if (participantId !== null && !(await participantExists(trx, participantId))) throw invalid('body.participantId', 'no such participant');
    if (input.partnerId !== null && !(await repo.existingPartnerIds(trx, [input.partnerId])).has(input.partnerId))
      throw invalid('body.partnerId', 'no such partner');

    const id = newId();
    const inserted = await repo.insertActivities(trx, [
      {
        activityId: id,
        kind: input.kind,
        participantId,
        partnerId: input.partnerId,
        occurredOn: input.occurredOn,
        quantity: input.quantity,
        note: input.note,
        source: 'manual',
        externalRef: input.externalRef,
        loggedByUserId: actor.kind === 'user' ? actor.userId : null,
        createdAt: deps.clock.now(),
      },
    ]);
    if (!inserted.has(id)) {
      // Logged by someone else at the same moment under the same reference.
      const existing = input.externalRef === null ? undefined : await repo.findActivityByRef(trx, 'manual', input.externalRef);
      if (existing) return { activity: toView(existing), created: false };
    }
    const row = await repo.findActivity(trx, id);
    if (!row) throw notFound('Activity');
    const view = toView(row);
    await recordAudit(trx, deps, actor, { action: 'activity.log', entityType: 'activity', entityId: id, after: view });
    return { activity: view, created: true };
  });
}

/** One page of activities: everyone's for the readers of scorecards, one's own for everybody else. */
export async function listActivities(deps: Deps, actor: Actor, q: z.output<typeof activityListQuery>): Promise<ActivityPage> {
  hideFromPartners(actor);
  return inTransaction(deps, actor, async (trx) => {
    let participantId = q.participantId;
    if (!canReadAllScores(actor) && !canLogForOthers(actor)) {
      const own = await ownParticipantId(trx, actor);
      if (own === null || (participantId !== undefined && participantId !== own)) return { items: [], total: 0 };
      participantId = own;
    }
    const { rows, total } = await repo.listActivities(trx, { ...q, participantId });
    return { items: rows.map(toView), total };
  });
}

/**
 * Imports activities from CSV: every row is checked, the good ones are stored (a row imported
 * before is skipped), the others are listed by line and column. One transaction, one audit entry.
 */
export async function importActivitiesCsv(deps: Deps, actor: Actor, csv: string): Promise<ActivityImportReport> {
  hideFromPartners(actor);
  if (!canLogForOthers(actor)) throw new AppError('forbidden', 'Only the programme lead, channel managers and administrators import activities');
  const parsed = parseActivityCsv(csv);
  return inTransaction(deps, actor, async (trx) => {
    const refs = [...new Set(parsed.rows.map((r) => r.participantRef))];
    const partnerIds = [...new Set(parsed.rows.flatMap((r) => (r.partnerId ? [r.partnerId] : [])))];
    const [types, participants, partners] = await Promise.all([
      repo.listActivityTypes(trx),
      participantsByRef(trx, refs),
      repo.existingPartnerIds(trx, partnerIds),
    ]);
    const resolved = resolveActivityRows(parsed.rows, {
      kinds: new Set(types.filter((t) => t.active).map((t) => t.key)),
      participantIdByRef: new Map(participants.map((p) => [p.externalRef, p.compParticipantId])),
      partnerIds: partners,
    });
    const now = deps.clock.now();
    const userId = actor.kind === 'user' ? actor.userId : null;
    let inserted = 0;
    for (let i = 0; i < resolved.ok.length; i += INSERT_CHUNK) {
      const chunk = resolved.ok.slice(i, i + INSERT_CHUNK).map((r) => ({
        activityId: newId(),
        kind: r.kind,
        participantId: r.participantId,
        partnerId: r.partnerId,
        occurredOn: r.occurredOn,
        quantity: r.quantity,
        note: r.note,
        source: 'csv' as const,
        externalRef: r.externalRef,
        loggedByUserId: userId,
        createdAt: now,
      }));
      inserted += (await repo.insertActivities(trx, chunk)).size;
    }
    const issues = [...parsed.issues, ...resolved.issues].sort((a, b) => a.line - b.line);
    const rejectedLines = new Set(issues.map((i) => i.line));
    const report: ActivityImportReport = {
      rows: parsed.total,
      inserted,
      unchanged: resolved.ok.length - inserted,
      rejected: rejectedLines.size,
      issues,
    };
    await recordAudit(trx, deps, actor, {
      action: 'activity.import',
      entityType: 'activity_import',
      entityId: null,
      after: { rows: report.rows, inserted: report.inserted, unchanged: report.unchanged, rejected: report.rejected },
    });
    return report;
  });
}
