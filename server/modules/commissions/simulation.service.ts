import type { z } from 'zod';
import type {
  createSimulationRequest,
  SimulatedVersion,
  SimulationPage,
  SimulationRunResult,
  SimulationSummaryView,
  SimulationView,
} from '../../../common/api/comp-simulation.ts';
import type { CreditableTransaction } from '../../../common/comp/crediting.ts';
import { fiscalYearStart } from '../../../common/comp/engine.ts';
import type { PlanDocument } from '../../../common/comp/plan.ts';
import {
  parseSimulationPeriod,
  quotaForPeriod,
  SimulationError,
  simulatePlans,
  type SimParticipant,
  type SimulationInput,
  type SimulationResult,
} from '../../../common/comp/simulate.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { rulesInForce } from '../engagement/rules.service.ts';
import { canSimulate, isPartnerActor } from './simulation.policy.ts';
import * as repo from './simulation.repository.ts';
import { partnerCreditOf, quotaValues, runResultOf, transactionsOfLines } from './simulation.rules.ts';

/**
 * Plan simulation against the transaction store: the same common/comp/simulate.ts simulatePlans
 * that `realign comp simulate` runs on files, fed from the database.
 *
 * Who is simulated: every participant credited (as seller or overlay) by a transaction of the
 * window, every participant assigned to one of the simulated plans during the period (so someone
 * with no deals still shows what a draw or a bonus would pay them), and their managers up the chain
 * (roll-up credit). With a participant filter: only the transactions crediting one of the filtered
 * participants, with everyone those transactions credit, the filtered participants, and managers.
 *
 * The window read is the period plus the part of its fiscal year before it (year-to-date windows
 * and draws need the year so far; simulatePlans reports only the period).
 *
 * simulatePlans holds every transaction of the window in memory (and credit lines per plan), so a
 * window is refused above a transaction count: the app setting comp.simulation_max_transactions,
 * DEFAULT_MAX_TRANSACTIONS without it. At the default a simulation of three plans needs a few
 * hundred MB at most; larger stores simulate a quarter or a month, or a participant filter.
 *
 * What the store does not hold: exchange rates (transactions in another currency than the plans'
 * are left out, and the result says how many) and accountability measures (simulated as not
 * measured, and the result says so when a plan has an accountability component).
 *
 * The data is read in one transaction and the result written (with its audit entry) in a second:
 * the calculation in between holds no connection and no lock.
 */

export const MAX_TRANSACTIONS_SETTING = 'comp.simulation_max_transactions';
export const DEFAULT_MAX_TRANSACTIONS = 200_000;

function guard(deps: Deps, actor: Actor, what = 'Simulation'): void {
  // With the isolation checks off (a test-only switch) a partner goes through so that RLS alone is tested.
  if (isPartnerActor(actor)) {
    if (deps.isolationChecks) throw notFound(what);
    return;
  }
  if (!canSimulate(actor)) throw new AppError('forbidden', 'Compensation administrators, administrators and finance simulate plans');
}

const invalidRequest = (path: string, message: string) => new AppError('validation_failed', message, { issues: [{ path, message }] });

export type StoreSimulationInput = {
  versions: SimulatedVersion[];
  input: SimulationInput;
  /** Transactions of the period itself (the window also holds the fiscal year before it). */
  transactionCount: number;
  notes: string[];
};

async function maxTransactionsOf(trx: Trx): Promise<number> {
  const raw = await repo.readSetting(trx, MAX_TRANSACTIONS_SETTING);
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_TRANSACTIONS;
}

/**
 * Everything simulatePlans needs for the plan versions and period, read from the store inside the
 * caller's transaction. Exported for the CLI-equivalence test, which feeds the same data to the CLI.
 */
export async function loadStoreSimulation(
  trx: Trx,
  req: { baselineVersionId: string; candidateVersionIds: readonly string[]; period: string; participantIds?: readonly string[] | undefined },
): Promise<StoreSimulationInput> {
  const period = parseSimulationPeriod(req.period);
  if (!period) throw invalidRequest('body.period', 'must be a year (2027), a quarter (2027-Q1) or a month (2027-03)');
  const ids = [req.baselineVersionId, ...req.candidateVersionIds];
  if (new Set(ids).size !== ids.length) throw invalidRequest('body.candidateVersionIds', 'names a plan version twice (or the baseline again)');
  const rows = await repo.versionsByIds(trx, ids);
  const byId = new Map(rows.map((r) => [r.compPlanVersionId, r]));
  const versionRows = ids.map((id, i) => {
    const r = byId.get(id);
    if (!r) throw invalidRequest(i === 0 ? 'body.baselineVersionId' : `body.candidateVersionIds[${i - 1}]`, 'no such plan version');
    return r;
  });
  // Two versions of one plan share its key; simulatePlans tells plans apart by key, so each is named
  // by its version too (a valid plan key still, so the documents can be written as plan files).
  const plans: PlanDocument[] = versionRows.map((r) => {
    const suffix = `_v${r.version}`;
    return { ...r.document, key: `${r.planKey.slice(0, 60 - suffix.length)}${suffix}` };
  });
  const versions: SimulatedVersion[] = versionRows.map((r) => ({
    versionId: r.compPlanVersionId,
    planId: r.compPlanId,
    planKey: r.planKey,
    planName: r.planName,
    version: r.version,
    status: r.status,
  }));
  const currency = plans[0]?.currency ?? 'USD';
  if (plans.some((p) => p.currency !== currency))
    throw invalidRequest(
      'body.candidateVersionIds',
      `the plans pay in different currencies (${plans.map((p) => `${p.key}: ${p.currency}`).join(', ')}): compare plans of one currency`,
    );

  const from = plans.map((p) => fiscalYearStart(p, period.start)).sort()[0] ?? period.start;
  const window: repo.TransactionWindow = { from, to: period.end, participantIds: req.participantIds ?? null };
  const max = await maxTransactionsOf(trx);
  const count = await repo.countTransactions(trx, window);
  if (count > max)
    throw new AppError(
      'payload_too_large',
      `The period holds ${count} transactions from ${from} to ${period.end} (its fiscal year so far included); a simulation reads at most ${max} (setting ${MAX_TRANSACTIONS_SETTING}). Simulate a shorter period or fewer participants.`,
    );

  const notes: string[] = [];
  const all = transactionsOfLines(await repo.transactionLines(trx, window));
  const transactions: CreditableTransaction[] = all.filter((t) => t.currency === currency);
  const foreign = all.length - transactions.length;
  if (foreign > 0)
    notes.push(`${foreign} transaction${foreign === 1 ? '' : 's'} in another currency than ${currency} left out: the store holds no exchange rates.`);

  // Who is simulated (see the comment at the top).
  const wanted = new Set<string>();
  for (const t of transactions) for (const id of [...t.sellers.map((s) => s.participantId), ...t.overlays]) wanted.add(id);
  if (req.participantIds) for (const id of req.participantIds) wanted.add(id);
  else for (const id of await repo.assignedParticipantIds(trx, [...new Set(versions.map((v) => v.planId))], period.start, period.end)) wanted.add(id);
  const participantRows = new Map<string, repo.ParticipantRow>();
  let missing = [...wanted];
  while (missing.length > 0) {
    for (const p of await repo.participantsByIds(trx, missing)) participantRows.set(p.compParticipantId, p);
    missing = [
      ...new Set(
        [...participantRows.values()].flatMap((p) => (p.managerParticipantId && !participantRows.has(p.managerParticipantId) ? [p.managerParticipantId] : [])),
      ),
    ];
  }
  const participants: SimParticipant[] = [...participantRows.values()]
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || (a.compParticipantId < b.compParticipantId ? -1 : 1))
    .map((p) => ({
      participantId: p.compParticipantId,
      name: p.displayName,
      managerId: p.managerParticipantId,
      team: p.team,
      activeFrom: p.activeFrom,
      activeTo: p.activeTo,
    }));

  const quotas = quotaValues(await repo.quotasOverlapping(trx, [...participantRows.keys()], from, period.end), currency);
  if (quotas.otherCurrency > 0)
    notes.push(`${quotas.otherCurrency} quota${quotas.otherCurrency === 1 ? '' : 's'} in another currency than ${currency} left out.`);
  if (plans.some((p) => p.components.some((c) => c.kind === 'accountability')))
    notes.push('Accountability measures are not read from the store: accountability components are simulated as not measured.');

  const rules = await rulesInForce(trx);
  const renewals = new Set(await repo.renewalScenarioKeys(trx));
  const input: SimulationInput = {
    plans,
    transactions,
    participants,
    quotas: (id, start, end) => quotaForPeriod(quotas.byParticipant.get(id) ?? [], start, end, currency),
    metrics: () => ({}),
    period,
    partnerCredit: partnerCreditOf(rules ? { version: rules.version, hints: rules.rules.crediting } : null),
    fx: () => null,
    isRenewal: (scenario) => scenario !== null && renewals.has(scenario),
  };
  const transactionCount = transactions.filter((t) => t.recognisedOn >= period.start).length;
  return { versions, input, transactionCount, notes };
}

/** simulatePlans on loaded data; its input errors (whole payout periods, currencies) as validation problems. */
export function runStoreSimulation(loaded: StoreSimulationInput): SimulationResult {
  try {
    const result = simulatePlans(loaded.input);
    result.notes.push(...loaded.notes);
    return result;
  } catch (err) {
    if (err instanceof SimulationError) throw invalidRequest('body', err.message);
    throw err;
  }
}

function summaryView(r: repo.SimulationRow, versions: SimulatedVersion[]): SimulationSummaryView {
  return {
    id: r.compSimulationId,
    period: r.periodLabel,
    periodStart: r.periodStart,
    periodEnd: r.periodEnd,
    currency: r.currency,
    versions,
    participantFilter: r.participantFilter,
    transactionCount: r.transactionCount,
    participantCount: r.participantCount,
    createdByName: r.createdByName,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

async function versionsOf(trx: Trx, rows: readonly repo.SimulationRow[]): Promise<Map<string, SimulatedVersion>> {
  const ids = [...new Set(rows.flatMap((r) => [r.baselineVersionId, ...r.candidateVersionIds]))];
  const found = await repo.versionsByIds(trx, ids);
  return new Map(
    found.map((v) => [
      v.compPlanVersionId,
      { versionId: v.compPlanVersionId, planId: v.compPlanId, planKey: v.planKey, planName: v.planName, version: v.version, status: v.status },
    ]),
  );
}

const versionList = (r: repo.SimulationRow, known: Map<string, SimulatedVersion>): SimulatedVersion[] =>
  [r.baselineVersionId, ...r.candidateVersionIds].flatMap((id) => {
    const v = known.get(id);
    return v ? [v] : [];
  });

/** Runs a simulation, stores it (so it can be reopened) and returns it. */
export async function createSimulation(deps: Deps, actor: Actor, req: z.output<typeof createSimulationRequest>): Promise<SimulationView> {
  guard(deps, actor);
  const loaded = await inTransaction(deps, actor, (trx) => loadStoreSimulation(trx, req));
  const result: SimulationRunResult = runResultOf(runStoreSimulation(loaded));
  const id = newId();
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    await repo.insertSimulation(trx, {
      compSimulationId: id,
      periodLabel: req.period,
      periodStart: result.period.start,
      periodEnd: result.period.end,
      baselineVersionId: req.baselineVersionId,
      candidateVersionIds: [...req.candidateVersionIds],
      participantFilter: req.participantIds ? [...req.participantIds] : null,
      transactionCount: loaded.transactionCount,
      participantCount: result.participants.length,
      currency: result.currency,
      result,
      createdByUserId: actor.kind === 'user' ? actor.userId : null,
      createdAt: now,
    });
    await recordAudit(trx, deps, actor, {
      action: 'comp_simulation.run',
      entityType: 'comp_simulation',
      entityId: id,
      after: {
        period: req.period,
        versions: loaded.versions.map((v) => v.versionId),
        participantFilter: req.participantIds?.length ?? null,
        transactions: loaded.transactionCount,
        participants: result.participants.length,
        totals: result.plans.map((p) => ({ plan: p.planKey, totalCostMinor: p.totalCostMinor })),
      },
    });
    const row = await repo.findSimulation(trx, id);
    if (!row) throw new Error('the simulation just stored is not found');
    return { ...summaryView(row, loaded.versions), result: row.result };
  });
}

export async function listSimulations(deps: Deps, actor: Actor, f: { limit: number; offset: number }): Promise<SimulationPage> {
  guard(deps, actor);
  return inTransaction(deps, actor, async (trx) => {
    const { rows, total } = await repo.listSimulations(trx, f);
    const known = await versionsOf(trx, rows);
    return { items: rows.map((r) => summaryView(r, versionList(r, known))), total };
  });
}

export async function getSimulation(deps: Deps, actor: Actor, id: string): Promise<SimulationView> {
  guard(deps, actor);
  return inTransaction(deps, actor, async (trx) => {
    const row = await repo.findSimulation(trx, id);
    if (!row) throw notFound('Simulation');
    const known = await versionsOf(trx, [row]);
    return { ...summaryView(row, versionList(row, known)), result: row.result };
  });
}
