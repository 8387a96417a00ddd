import { sql } from 'kysely';
import type { SimulationRunResult } from '../../../common/api/comp-simulation.ts';
import type { Trx } from '../../deps.ts';

/**
 * SQL of plan simulations. Besides its own table (comp_simulation) it reads, never writes, the
 * transaction store, comp-plans' participants, versions, assignments and quotas, the scenario
 * taxonomy and one app setting: a simulation needs them all in bulk, in one transaction.
 */

/** Ids per statement: well under PostgreSQL's 65,535 bound parameters. */
const CHUNK = 10_000;

async function chunked<T>(ids: readonly string[], fn: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await fn(ids.slice(i, i + CHUNK))));
  return out;
}

export async function readSetting(trx: Trx, key: string): Promise<string | undefined> {
  const r = await trx.selectFrom('appSetting').select('value').where('key', '=', key).executeTakeFirst();
  return r?.value;
}

export async function versionsByIds(trx: Trx, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return trx
    .selectFrom('compPlanVersion as v')
    .innerJoin('compPlan as p', 'p.compPlanId', 'v.compPlanId')
    .select(['v.compPlanVersionId', 'v.compPlanId', 'v.version', 'v.status', 'v.document', 'p.key as planKey', 'p.name as planName'])
    .where('v.compPlanVersionId', 'in', ids)
    .execute();
}
export type VersionRow = Awaited<ReturnType<typeof versionsByIds>>[number];

export type TransactionWindow = { from: string; to: string; participantIds: readonly string[] | null };

/** The references of the transactions of [from, to) that credit one of the participants. */
function refsOfParticipants(trx: Trx, w: TransactionWindow, ids: readonly string[]) {
  return trx
    .selectFrom('salesTransaction')
    .select('transactionRef')
    .where('recognisedOn', '>=', w.from)
    .where('recognisedOn', '<', w.to)
    .where('participantId', 'in', ids);
}

/** How many transactions (not lines) a simulation of the window would read. */
export async function countTransactions(trx: Trx, w: TransactionWindow): Promise<number> {
  let q = trx
    .selectFrom('salesTransaction')
    .select(sql<string>`count(distinct transaction_ref)`.as('n'))
    .where('recognisedOn', '>=', w.from)
    .where('recognisedOn', '<', w.to);
  if (w.participantIds) q = q.where('transactionRef', 'in', refsOfParticipants(trx, w, w.participantIds));
  const r = await q.executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Every line of the window's transactions, grouped by transaction (sellers before overlays, then by participant). */
export async function transactionLines(trx: Trx, w: TransactionWindow) {
  let q = trx
    .selectFrom('salesTransaction')
    .select([
      'transactionRef',
      'participantId',
      'role',
      'splitBps',
      'kind',
      'recognisedOn',
      'originalRecognisedOn',
      'dealAmountMinor',
      'currency',
      'product',
      'scenario',
      'segment',
      'sourcing',
      'partnerId',
      'partnerRef',
    ])
    .where('recognisedOn', '>=', w.from)
    .where('recognisedOn', '<', w.to);
  if (w.participantIds) q = q.where('transactionRef', 'in', refsOfParticipants(trx, w, w.participantIds));
  return q.orderBy('transactionRef').orderBy('role', 'desc').orderBy('participantId').execute();
}
export type TransactionLine = Awaited<ReturnType<typeof transactionLines>>[number];

export async function participantsByIds(trx: Trx, ids: readonly string[]) {
  return chunked(ids, (part) =>
    trx
      .selectFrom('compParticipant')
      .select(['compParticipantId', 'externalRef', 'displayName', 'managerParticipantId', 'team', 'activeFrom', 'activeTo'])
      .where('compParticipantId', 'in', part)
      .execute(),
  );
}
export type ParticipantRow = Awaited<ReturnType<typeof participantsByIds>>[number];

/** Participants assigned to one of the plans for some day of [from, to). */
export async function assignedParticipantIds(trx: Trx, planIds: readonly string[], from: string, to: string): Promise<string[]> {
  if (planIds.length === 0) return [];
  const rows = await trx
    .selectFrom('compPlanAssignment')
    .select('compParticipantId')
    .distinct()
    .where('compPlanId', 'in', planIds)
    .where('effectiveFrom', '<', to)
    .where((eb) => eb.or([eb('effectiveTo', 'is', null), eb('effectiveTo', '>', from)]))
    .execute();
  return rows.map((r) => r.compParticipantId);
}

/** Quotas of the participants whose period overlaps [from, to). */
export async function quotasOverlapping(trx: Trx, ids: readonly string[], from: string, to: string) {
  return chunked(ids, (part) =>
    trx
      .selectFrom('compQuota')
      .select(['compParticipantId', 'periodStart', 'periodEnd', 'amountMinor', 'currency'])
      .where('compParticipantId', 'in', part)
      .where('periodStart', '<', to)
      .where('periodEnd', '>', from)
      .orderBy('periodStart')
      .execute(),
  );
}

export async function renewalScenarioKeys(trx: Trx): Promise<string[]> {
  const rows = await trx.selectFrom('scenario').select('key').where('isRenewal', '=', true).execute();
  return rows.map((r) => r.key);
}

export async function insertSimulation(
  trx: Trx,
  row: {
    compSimulationId: string;
    periodLabel: string;
    periodStart: string;
    periodEnd: string;
    baselineVersionId: string;
    candidateVersionIds: string[];
    participantFilter: string[] | null;
    transactionCount: number;
    participantCount: number;
    currency: string;
    result: SimulationRunResult;
    createdByUserId: string | null;
    createdAt: Date;
  },
): Promise<void> {
  await trx
    .insertInto('compSimulation')
    .values({
      ...row,
      candidateVersionIds: JSON.stringify(row.candidateVersionIds),
      participantFilter: row.participantFilter === null ? null : JSON.stringify(row.participantFilter),
      result: JSON.stringify(row.result),
    })
    .execute();
}

function selectSimulations(trx: Trx) {
  return trx
    .selectFrom('compSimulation as s')
    .leftJoin('appUser as u', 'u.appUserId', 's.createdByUserId')
    .select([
      's.compSimulationId',
      's.periodLabel',
      's.periodStart',
      's.periodEnd',
      's.baselineVersionId',
      's.candidateVersionIds',
      's.participantFilter',
      's.transactionCount',
      's.participantCount',
      's.currency',
      's.createdAt',
      'u.displayName as createdByName',
    ]);
}
export type SimulationRow = Awaited<ReturnType<ReturnType<typeof selectSimulations>['executeTakeFirstOrThrow']>>;

export async function listSimulations(trx: Trx, f: { limit: number; offset: number }): Promise<{ rows: SimulationRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    selectSimulations(trx).orderBy('s.createdAt', 'desc').orderBy('s.compSimulationId').limit(f.limit).offset(f.offset).execute(),
    trx
      .selectFrom('compSimulation')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/**
 * One simulation with its result. The result is read as text and parsed here: the CamelCasePlugin
 * would rename the keys inside a jsonb value (partner_sourced, component keys) on the way out.
 */
export async function findSimulation(trx: Trx, id: string): Promise<(SimulationRow & { result: SimulationRunResult }) | undefined> {
  const row = await selectSimulations(trx)
    .select(sql<string>`s.result::text`.as('resultJson'))
    .where('s.compSimulationId', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { resultJson, ...rest } = row;
  return { ...rest, result: JSON.parse(resultJson) as SimulationRunResult };
}
