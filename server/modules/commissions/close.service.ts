import type {
  CloseCommissionPeriodRequest,
  CommissionAdjustmentView,
  CommissionPeriodView,
  CreateCommissionPeriodRequest,
  RestateCommissionPeriodRequest,
  RestatementView,
} from '../../../common/api/commissions-close.ts';
import { addMoney, moneyOf, subtractMoney } from '../../../common/money.ts';
import { hasRole, type Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './close.repository.ts';
import { safeCsv, type CsvCell } from '../../../common/csv-export.ts';
import { formatMajorAmount } from '../../../common/money.ts';
import * as runsRepo from './runs.repository.ts';
import { canManageRuns, isPartner } from './runs.service.ts';

/**
 * Closing payout periods.
 *
 * - A period [start, end) is opened by compensation administrators, finance or administrators; no
 *   two periods overlap. Closing it names a completed run over exactly its dates: that run's results
 *   become the official results (version 1) and are frozen by the database (migration 0018 triggers).
 * - Restating: a later completed run over a closed period's dates becomes its next version; per
 *   participant and currency the difference to the previous version is booked as an adjustment in
 *   the earliest open period starting on or after the restated period's end. The closed period's
 *   results and its paid amounts never change.
 * - Approving the payouts (finance, administrators) is one insert-only row per closed period. The
 *   payroll export lists the approved payouts: the closing run's totals plus the adjustments booked
 *   in the period (which can only be booked while it was open).
 * - Concurrency: every mutation locks the period row first (SELECT ... FOR UPDATE), so 64 concurrent
 *   calls on one period run one after another: the first takes effect, the rest see it done (409).
 */

const ENTITY = 'commission_period';

function guardManage(actor: Actor): void {
  if (isPartner(actor)) throw notFound('Commission period');
  if (!canManageRuns(actor)) throw new AppError('forbidden', 'Compensation administrators, finance and administrators manage commission periods');
}

function guardApprove(actor: Actor): void {
  if (isPartner(actor)) throw notFound('Commission period');
  if (!(actor.kind === 'system' || hasRole(actor, 'finance', 'admin')))
    throw new AppError('forbidden', 'Finance and administrators approve commission payouts');
}

const userIdOf = (actor: Actor): string | null => (actor.kind === 'user' ? actor.userId : null);

async function views(trx: Trx, rows: readonly repo.PeriodRow[]): Promise<CommissionPeriodView[]> {
  const ids = rows.map((r) => r.commissionPeriodId);
  const versions = await repo.versionsOf(trx, ids);
  const approvals = new Map((await repo.approvalsOf(trx, ids)).map((a) => [a.commissionPeriodId, a]));
  return rows.map((r) => {
    const a = approvals.get(r.commissionPeriodId);
    return {
      id: r.commissionPeriodId,
      periodStart: r.periodStart,
      periodEnd: r.periodEnd,
      status: r.status,
      closedRunId: r.closedRunId,
      closedByUserId: r.closedByUserId,
      closedAt: r.closedAt?.toISOString() ?? null,
      payout: a
        ? { status: 'approved' as const, approvedByUserId: a.approvedByUserId, approvedAt: a.approvedAt.toISOString() }
        : { status: 'not_approved' as const, approvedByUserId: null, approvedAt: null },
      versions: versions
        .filter((v) => v.commissionPeriodId === r.commissionPeriodId)
        .map((v) => ({ version: v.version, kind: v.kind, runId: v.commissionRunId, resultHash: v.resultHash, createdAt: v.createdAt.toISOString() })),
    };
  });
}

async function viewOf(trx: Trx, id: string): Promise<CommissionPeriodView> {
  const row = await repo.findPeriod(trx, id);
  if (!row) throw notFound('Commission period');
  const [v] = await views(trx, [row]);
  if (!v) throw notFound('Commission period');
  return v;
}

async function lockedPeriod(trx: Trx, id: string): Promise<repo.PeriodRow> {
  const row = await repo.findPeriod(trx, id, true);
  if (!row) throw notFound('Commission period');
  return row;
}

/** A completed run over exactly the period's dates, or a conflict saying what is wrong. */
async function runOver(trx: Trx, period: repo.PeriodRow, runId: string): Promise<runsRepo.RunRow & { resultHash: string }> {
  const run = await runsRepo.findRun(trx, runId);
  if (!run) throw notFound('Commission run');
  if (run.status !== 'completed' || run.resultHash === null) throw new AppError('conflict', `Run ${runId} is ${run.status}, not completed`);
  if (run.periodStart !== period.periodStart || run.periodEnd !== period.periodEnd)
    throw new AppError('conflict', `Run ${runId} covers ${run.periodStart} to ${run.periodEnd}, not the period ${period.periodStart} to ${period.periodEnd}`);
  return { ...run, resultHash: run.resultHash };
}

// ---------------------------------------------------------------------------------------------
// Use-cases

export async function createPeriod(deps: Deps, actor: Actor, input: CreateCommissionPeriodRequest): Promise<CommissionPeriodView> {
  guardManage(actor);
  return inTransaction(deps, actor, async (trx) => {
    await repo.lockPeriodCreation(trx);
    const other = await repo.overlappingPeriod(trx, input.periodStart, input.periodEnd);
    if (other)
      throw new AppError('conflict', `The period overlaps the commission period ${other.periodStart} to ${other.periodEnd} (${other.commissionPeriodId})`);
    const id = newId();
    await repo.insertPeriod(trx, { commissionPeriodId: id, periodStart: input.periodStart, periodEnd: input.periodEnd, createdByUserId: userIdOf(actor) });
    await recordAudit(trx, deps, actor, { action: 'commission_period.create', entityType: ENTITY, entityId: id, after: input });
    return viewOf(trx, id);
  });
}

export async function listPeriods(deps: Deps, actor: Actor, f: { limit: number; offset: number }): Promise<{ items: CommissionPeriodView[]; total: number }> {
  guardManage(actor);
  return inTransaction(deps, actor, async (trx) => {
    const r = await repo.listPeriods(trx, f);
    return { items: await views(trx, r.items), total: r.total };
  });
}

export async function getPeriod(deps: Deps, actor: Actor, id: string): Promise<CommissionPeriodView> {
  guardManage(actor);
  return inTransaction(deps, actor, (trx) => viewOf(trx, id));
}

export async function closePeriod(deps: Deps, actor: Actor, id: string, input: CloseCommissionPeriodRequest): Promise<CommissionPeriodView> {
  guardManage(actor);
  return inTransaction(deps, actor, async (trx) => {
    const period = await lockedPeriod(trx, id);
    if (period.status === 'closed') throw new AppError('conflict', `The period is already closed (from run ${period.closedRunId ?? '?'})`);
    const run = await runOver(trx, period, input.runId);
    await repo.closePeriod(trx, id, run.commissionRunId, userIdOf(actor), deps.clock.now());
    await repo.insertVersion(trx, {
      commissionPeriodId: id,
      version: 1,
      commissionRunId: run.commissionRunId,
      resultHash: run.resultHash,
      kind: 'close',
      createdByUserId: userIdOf(actor),
    });
    await recordAudit(trx, deps, actor, {
      action: 'commission_period.close',
      entityType: ENTITY,
      entityId: id,
      before: { status: 'open' },
      after: { status: 'closed', runId: run.commissionRunId, resultHash: run.resultHash, version: 1 },
    });
    return viewOf(trx, id);
  });
}

export async function approvePayouts(deps: Deps, actor: Actor, id: string): Promise<CommissionPeriodView> {
  guardApprove(actor);
  return inTransaction(deps, actor, async (trx) => {
    const period = await lockedPeriod(trx, id);
    if (period.status !== 'closed') throw new AppError('conflict', 'Close the period before approving its payouts');
    if ((await repo.approvalsOf(trx, [id])).length > 0) throw new AppError('conflict', 'The payouts of the period are already approved');
    await repo.insertApproval(trx, id, userIdOf(actor), deps.clock.now());
    await recordAudit(trx, deps, actor, {
      action: 'commission_period.approve_payouts',
      entityType: ENTITY,
      entityId: id,
      before: { payout: 'not_approved' },
      after: { payout: 'approved', runId: period.closedRunId },
    });
    return viewOf(trx, id);
  });
}

export async function restatePeriod(deps: Deps, actor: Actor, id: string, input: RestateCommissionPeriodRequest): Promise<RestatementView> {
  guardManage(actor);
  return inTransaction(deps, actor, async (trx) => {
    const period = await lockedPeriod(trx, id);
    if (period.status !== 'closed') throw new AppError('conflict', 'Only a closed period is restated; close it from a run instead');
    const run = await runOver(trx, period, input.runId);
    const versions = await repo.versionsOf(trx, [id]);
    if (versions.some((v) => v.commissionRunId === run.commissionRunId))
      throw new AppError('conflict', `Run ${run.commissionRunId} is already a version of the period`);
    const previous = versions[versions.length - 1];
    if (!previous) throw new AppError('internal', 'A closed period without versions');
    const bookIn = await repo.nextOpenPeriod(trx, period.periodEnd);
    if (!bookIn) throw new AppError('conflict', `Open the next commission period (starting on or after ${period.periodEnd}) to book the restatement in`);
    const version = previous.version + 1;
    await repo.insertVersion(trx, {
      commissionPeriodId: id,
      version,
      commissionRunId: run.commissionRunId,
      resultHash: run.resultHash,
      kind: 'restatement',
      createdByUserId: userIdOf(actor),
    });

    // new total - previous version's total, per participant and currency; zero differences are not booked.
    const key = (r: repo.TotalRow) => `${r.participantId}|${r.currency}`;
    const before = new Map((await repo.runTotals(trx, previous.commissionRunId)).map((r) => [key(r), r]));
    const after = new Map((await repo.runTotals(trx, run.commissionRunId)).map((r) => [key(r), r]));
    const reason = `restatement of ${period.periodStart} to ${period.periodEnd} v${version}`;
    const adjustments: CommissionAdjustmentView[] = [];
    for (const k of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const b = before.get(k);
      const a = after.get(k);
      const ref = a ?? b;
      if (!ref) continue;
      const diff = subtractMoney(moneyOf(a?.totalMinor ?? 0, ref.currency), moneyOf(b?.totalMinor ?? 0, ref.currency));
      if (diff.amountMinor === 0) continue;
      adjustments.push({
        id: newId(),
        participantId: ref.participantId,
        bookedInPeriodId: bookIn.commissionPeriodId,
        currency: ref.currency,
        amountMinor: diff.amountMinor,
        reason,
        sourcePeriodId: id,
        sourceVersion: version,
      });
    }
    await repo.insertAdjustments(
      trx,
      adjustments.map((x) => ({
        participantId: x.participantId,
        commissionAdjustmentId: x.id,
        commissionPeriodId: x.bookedInPeriodId,
        currency: x.currency,
        amountMinor: x.amountMinor,
        reason: x.reason,
        sourcePeriodId: x.sourcePeriodId,
        sourceVersion: x.sourceVersion,
      })),
    );
    await recordAudit(trx, deps, actor, {
      action: 'commission_period.restate',
      entityType: ENTITY,
      entityId: id,
      before: { version: previous.version, runId: previous.commissionRunId },
      after: { version, runId: run.commissionRunId, bookedInPeriodId: bookIn.commissionPeriodId, adjustments: adjustments.length },
    });
    return { period: await viewOf(trx, id), version, bookedInPeriodId: bookIn.commissionPeriodId, adjustments };
  });
}

/** The adjustments booked in a period (restatements of earlier periods). */
export async function adjustmentsOf(deps: Deps, actor: Actor, id: string): Promise<CommissionAdjustmentView[]> {
  guardManage(actor);
  return inTransaction(deps, actor, async (trx) => {
    if (!(await repo.findPeriod(trx, id))) throw notFound('Commission period');
    return (await repo.adjustmentsBookedIn(trx, id)).map((a) => ({
      id: a.commissionAdjustmentId,
      participantId: a.participantId,
      bookedInPeriodId: a.commissionPeriodId,
      currency: a.currency,
      amountMinor: a.amountMinor,
      reason: a.reason,
      sourcePeriodId: a.sourcePeriodId,
      sourceVersion: a.sourceVersion,
    }));
  });
}

export const PAYROLL_HEADER = ['external_ref', 'name', 'period_start', 'period_end', 'currency', 'commission', 'adjustments', 'amount'] as const;

/** The approved payouts of a closed period as CSV (amounts in major units of the plan currency). */
export async function payrollCsv(deps: Deps, actor: Actor, id: string): Promise<{ fileName: string; body: string }> {
  guardManage(actor);
  return inTransaction(deps, actor, async (trx) => {
    const period = await repo.findPeriod(trx, id);
    if (!period) throw notFound('Commission period');
    if (period.status !== 'closed' || period.closedRunId === null || (await repo.approvalsOf(trx, [id])).length === 0)
      throw new AppError('conflict', 'The payroll export is available once the period is closed and its payouts approved');
    const rows = await repo.payrollRows(trx, id, period.closedRunId);
    const cells: CsvCell[][] = rows.map((r) => {
      const total = addMoney(moneyOf(r.commissionMinor, r.currency), moneyOf(r.adjustmentMinor, r.currency));
      return [
        r.externalRef,
        r.displayName,
        period.periodStart,
        period.periodEnd,
        r.currency,
        { number: formatMajorAmount(r.commissionMinor, r.currency) },
        { number: formatMajorAmount(r.adjustmentMinor, r.currency) },
        { number: formatMajorAmount(total.amountMinor, r.currency) },
      ];
    });
    return { fileName: `payroll-${period.periodStart}-${period.periodEnd}.csv`, body: safeCsv(PAYROLL_HEADER, cells) };
  });
}
