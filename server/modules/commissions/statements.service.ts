import type { LineTransactionView, StatementLineView, StatementView } from '../../../common/api/commissions-runs.ts';
import type { CreditBucket, PayoutLine } from '../../../common/comp/engine-types.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { planVersionDocument } from '../comp-plans/comp-plans.service.ts';
import { participantAndReports } from './estimator.repository.ts';
import * as repo from './runs.repository.ts';
import { statementCsv, statementPdf } from './statements-export.render.ts';
import * as statementsRepo from './statements.repository.ts';
import { canManageRuns, creditingParams, isPartner, storedPlanVersion } from './runs.service.ts';

/**
 * Statements: one participant's payout lines of a run, each with the credit buckets behind it, and
 * the sales transactions behind a line (computed on demand with the run's own crediting SQL, for one
 * participant and payout period).
 *
 * Visibility: compensation administrators, finance and administrators see every participant; anyone
 * else sees the participants linked to their user (comp_participant.app_user_id) and everyone below
 * them in the manager chain. Anything else, and everything for partner users, is 404.
 */

async function visibleOrNotFound(trx: Trx, actor: Actor, participantId: string): Promise<void> {
  if (canManageRuns(actor)) return;
  if (actor.kind !== 'user') throw notFound('Statement');
  const visible = await repo.visibleParticipantIds(trx, actor.userId);
  if (!visible.has(participantId)) throw notFound('Statement');
}

async function runOf(trx: Trx, runId: string | undefined): Promise<repo.RunRow> {
  const run = runId ? await repo.findRun(trx, runId) : await repo.latestCompletedRun(trx);
  if (!run) throw notFound('Commission run');
  return run;
}

type Located = { run: repo.RunRow; rows: repo.ResultRow[] };

async function locate(trx: Trx, actor: Actor, runId: string | undefined, participantId: string | undefined): Promise<Located & { participantId: string }> {
  if (isPartner(actor)) throw notFound('Statement');
  let pid = participantId;
  if (!pid) {
    if (actor.kind !== 'user') throw new AppError('bad_request', 'Name the participant');
    pid = await repo.linkedParticipantId(trx, actor.userId);
    if (!pid) throw notFound('Statement');
  }
  await visibleOrNotFound(trx, actor, pid);
  const run = await runOf(trx, runId);
  return { run, rows: await repo.resultsOf(trx, run.commissionRunId, pid), participantId: pid };
}

/** Lines of every period in order, numbered across the statement (the drill-down index). */
function numberedLines(rows: readonly repo.ResultRow[]): { row: repo.ResultRow; line: PayoutLine; index: number }[] {
  const out: { row: repo.ResultRow; line: PayoutLine; index: number }[] = [];
  for (const row of rows) for (const line of row.lines as PayoutLine[]) out.push({ row, line, index: out.length });
  return out;
}

/** A participant's statement of a run: its periods, their payout lines, and the adjustments booked for them (the JSON view and the downloads). */
export async function getStatement(deps: Deps, actor: Actor, q: { runId?: string | undefined; participantId?: string | undefined }): Promise<StatementView> {
  return inTransaction(deps, actor, async (trx) => {
    const { run, rows, participantId } = await locate(trx, actor, q.runId, q.participantId);
    const lines = numberedLines(rows);
    return {
      runId: run.commissionRunId,
      runStatus: run.status,
      participantId,
      participantName: (await repo.participantName(trx, participantId)) ?? '',
      periods: rows.map((row) => {
        const buckets = row.buckets as CreditBucket[];
        return {
          periodStart: row.periodStart,
          periodEnd: row.periodEnd,
          planVersionId: row.compPlanVersionId,
          currency: row.currency,
          quotaMinor: row.quotaMinor,
          quotaCreditMinor: row.quotaCreditMinor,
          attainmentBps: row.attainmentBps,
          ytdAttainmentBps: row.ytdAttainmentBps,
          totalMinor: row.totalMinor,
          lines: lines
            .filter((l) => l.row === row)
            .map(({ line, index }): StatementLineView => ({
              index,
              componentKey: line.componentKey,
              componentName: line.componentName,
              kind: line.kind,
              basisMinor: line.basisMinor,
              rateBps: line.rateBps,
              multiplierBps: line.multiplierBps,
              tier: line.tier,
              amountMinor: line.amountMinor,
              explanation: line.explanation,
              buckets: line.bucketIndexes.flatMap((i) => {
                const b = buckets[i];
                return b ? [{ ...b, spiffKeys: [...b.spiffKeys] }] : [];
              }),
            })),
        };
      }),
      adjustments: (await statementsRepo.statementAdjustments(trx, participantId, run.periodStart, run.periodEnd)).map((a) => ({
        ...a,
        source: a.disputeReference === null ? ('restatement' as const) : ('dispute' as const),
      })),
    };
  });
}

const sameBucket = (b: CreditBucket, l: repo.CreditLineRow): boolean =>
  b.kind === l.creditKind &&
  b.sourcing === l.sourcing &&
  b.product === l.product &&
  b.scenario === l.scenario &&
  b.segment === l.segment &&
  b.clawback === l.clawback &&
  b.spiffKeys.join(',') === l.spiffKeys.join(',');

/** The sales transactions behind line i of a participant's statement of a run: the credit lines of its buckets. */
export async function lineTransactions(
  deps: Deps,
  actor: Actor,
  runId: string,
  participantId: string,
  index: number,
  page: { limit: number; offset: number },
): Promise<{ items: LineTransactionView[]; total: number }> {
  return inTransaction(deps, actor, async (trx) => {
    const { run, rows } = await locate(trx, actor, runId, participantId);
    const found = numberedLines(rows)[index];
    if (!found) throw notFound('Statement line');
    const { row, line } = found;
    const buckets = line.bucketIndexes.flatMap((i) => {
      const b = (row.buckets as CreditBucket[])[i];
      return b ? [b] : [];
    });
    if (buckets.length === 0) return { items: [], total: 0 };
    const version = storedPlanVersion(run, row.compPlanVersionId);
    const plan = await planVersionDocument(trx, row.compPlanVersionId);
    if (!version || !plan) throw notFound('Plan version of the run');
    // Whose lines credit the participant: themselves and, with roll-up, their reports (found by index, not a scan of the period).
    const sources = await participantAndReports(trx, participantId, plan.document.crediting.rollupLevels);
    const params = {
      ...creditingParams(plan.document, version.partnerCredit, [{ start: row.periodStart, end: row.periodEnd }], [participantId]),
      sources,
    };
    const matching = (await repo.creditLinesOf(trx, params)).filter((l) => buckets.some((b) => sameBucket(b, l)));
    return {
      total: matching.length,
      items: matching.slice(page.offset, page.offset + page.limit).map((l) => ({
        salesTransactionId: l.salesTransactionId,
        transactionRef: l.transactionRef,
        kind: l.kind,
        recognisedOn: l.recognisedOn,
        currency: l.currency,
        amountMinor: l.amountMinor,
        dealAmountMinor: l.dealAmountMinor,
        splitBps: l.splitBps,
        fromParticipantId: l.fromParticipantId,
        creditKind: l.creditKind,
        sourcing: l.sourcing,
        product: l.product,
        scenario: l.scenario,
        segment: l.segment,
        clawback: l.clawback,
        spiffKeys: l.spiffKeys,
        creditMinor: l.creditMinor ?? 0,
        fxRate: l.fxRate,
      })),
    };
  });
}

export type StatementFile = { fileName: string; contentType: string; body: string | Buffer };

const fileBase = (s: StatementView): string => `statement-${s.participantId}-${s.runId}`;

/** The statement as CSV: its payout lines, adjustments and totals (the same visibility and content as getStatement). */
export async function statementAsCsv(deps: Deps, actor: Actor, runId: string, participantId: string): Promise<StatementFile> {
  const s = await getStatement(deps, actor, { runId, participantId });
  return { fileName: `${fileBase(s)}.csv`, contentType: 'text/csv; charset=utf-8', body: statementCsv(s) };
}

/** The statement as PDF (the same visibility and content as getStatement). */
export async function statementAsPdf(deps: Deps, actor: Actor, runId: string, participantId: string): Promise<StatementFile> {
  const s = await getStatement(deps, actor, { runId, participantId });
  return { fileName: `${fileBase(s)}.pdf`, contentType: 'application/pdf', body: await statementPdf(s) };
}
