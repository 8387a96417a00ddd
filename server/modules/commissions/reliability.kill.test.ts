import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommissionPeriodView } from '../../../common/api/commissions-close.ts';
import { PLAN_FORMAT } from '../../../common/comp/plan.ts';
import type { Role } from '../../../common/roles.ts';
import { systemActor, type UserActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { startWorker } from '../../jobs/worker.ts';
import { newId } from '../../lib/ids.ts';
import { fakeWebDist, freePort, http, killAll, sessionFrom, startApp, waitFor, waitForReady, type AppProcess } from '../../test/child-process.ts';
import { createTestApp, makeUser, TEST_PASSWORD, type TestApp } from '../../test/harness.ts';
import * as comp from '../comp-plans/comp-plans.service.ts';
import * as closeService from './close.service.ts';
import * as runsService from './runs.service.ts';
import { commitTransactionImport, uploadTransactionFile, validateTransactionImport } from './transactions.service.ts';

/**
 * kill -9 of a real app process (`node server/main.ts`, worker or API) in the middle of an import
 * commit, a period run and a period close, against one PostgreSQL database. Each kill lands at a
 * known point: the test holds a row lock the process needs next (a participant row for the import's
 * next chunk, the plan version row the run's results reference, the audit chain head the close
 * appends to), waits until the process's database session is blocked on it, and only then kills the
 * process. After the kill and a restart: nothing acknowledged is missing, nothing unacknowledged is
 * half-present, the interrupted job is taken over and completed, ledger totals equal the completed
 * run's totals, and the close is applied exactly once or not at all.
 *
 * (The embedded PostgreSQL itself after a kill -9 of its owner, the orphan server found through
 * postmaster.pid, is server/db/embedded-crash.test.ts.)
 */

let t: TestApp;
let webDist = '';
let admin: UserActor;
let adminEmail = '';
let planVersionId = '';
/** Participants R0..R19 by reference. */
const P = new Map<string, string>();
const system = systemActor('test');
const Q1 = { periodStart: '2027-01-01', periodEnd: '2027-04-01' };

async function userActor(roles: Role[]): Promise<UserActor & { email: string }> {
  const u = await makeUser(t.deps, { roles });
  return { kind: 'user', userId: u.id, email: u.email, displayName: u.email, partnerId: null, roles, via: 'session', requestId: null };
}

/** A connection of the test's own, for holding locks; its statements run in the system scope. */
async function holder(): Promise<pg.Client & { hold(sql: string, params: unknown[]): Promise<void>; release(): Promise<void> }> {
  const c = new pg.Client({ connectionString: t.database.url });
  await c.connect();
  return Object.assign(c, {
    async hold(sql: string, params: unknown[]) {
      await c.query('begin');
      await c.query(`select set_config('realign.scope', 'system', true)`);
      const r = await c.query(sql, params);
      if (r.rowCount !== 1) throw new Error(`expected to lock one row: ${sql}`);
    },
    async release() {
      await c.query('rollback');
    },
  });
}

/**
 * The pid of a session of this database that waits on a lock while running a statement like
 * `pattern`. Asked on a connection of its own: pg_stat_activity is a snapshot for a whole transaction.
 */
async function blockedSession(pattern: string | string[], p: AppProcess): Promise<{ pid: number; query: string }> {
  const c = new pg.Client({ connectionString: t.database.url });
  await c.connect();
  try {
    return await waitFor(
      `a session blocked on ${String(pattern)}`,
      async () => {
        if (p.hasExited()) throw new Error(`${p.name} exited:\n${p.output()}`);
        const r = await c.query<{ pid: number; query: string }>(
          `select pid, query from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
             and wait_event_type = 'Lock' and query ilike any($1::text[])`,
          [typeof pattern === 'string' ? [pattern] : pattern],
        );
        return r.rows[0];
      },
      60_000,
      25,
    );
  } catch (e) {
    const a = await c.query(`select pid, state, wait_event_type, left(query, 120) as query from pg_stat_activity where datname = current_database()`);
    throw new Error(`${e instanceof Error ? e.message : String(e)}\nsessions: ${JSON.stringify(a.rows)}\n${p.name}: ${p.output()}`, { cause: e });
  } finally {
    await c.end();
  }
}

async function sessionGone(c: pg.Client, pid: number): Promise<void> {
  // Outside any transaction (the holder has rolled back): each query sees the activity as it is.
  await waitFor(`session ${pid} to end`, async () => (await c.query('select 1 from pg_stat_activity where pid = $1', [pid])).rowCount === 0, 30_000, 25);
}

async function kill9(p: AppProcess): Promise<void> {
  p.child.kill('SIGKILL');
  expect(await p.exited).toBe('SIGKILL');
}

/**
 * A worker that claims up to 5 jobs at once (a pool of 6): the jobs these tests queue are then all
 * running together, so the one a test blocks with its lock is running while the others are. A worker
 * waits for every job of a claim before it claims again.
 */
function worker(name: string): AppProcess {
  return startApp(name, { DATABASE_URL: t.database.url, REALIGN_PROCESS: 'worker', REALIGN_WEB_DIST: webDist, REALIGN_DB_POOL_SIZE: '6' });
}

/** The restart: a fresh worker on the same database, whose lease rule takes over what the dead one held. */
async function restartWorker(): Promise<void> {
  const w = startWorker(t.deps, jobDefinitions, { autoStart: false, leaseMs: 1 });
  await w.drain();
  await w.stop();
}

function csv(rows: { ref: string; on: string; amount: number; seller: string }[]): string {
  return ['Transaction ID,Type,Date,Amount,Currency,Sellers', ...rows.map((r) => `${r.ref},invoice,${r.on},${r.amount}.00,EUR,${r.seller}`)].join('\n');
}

async function importFile(text: string, inlineMaxRows?: number) {
  const up = await uploadTransactionFile(t.deps, admin, { sourceName: 'kill.csv' }, Readable.from([Buffer.from(text)]));
  const v = await validateTransactionImport(t.deps, admin, up.id, up.mapping);
  expect(v.counts?.bad, JSON.stringify(v.problems.slice(0, 3))).toBe(0);
  return commitTransactionImport(t.deps, admin, up.id, 'all_or_nothing', inlineMaxRows === undefined ? {} : { inlineMaxRows });
}

async function ledger(importId?: string): Promise<{ lines: number; sum: number }> {
  let q = t.deps.db
    .selectFrom('salesTransaction')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.coalesce(eb.fn.sum<string>('amountMinor'), eb.lit(0)).as('s')]);
  if (importId) q = q.where('transactionImportId', '=', importId);
  const r = await q.executeTakeFirstOrThrow();
  return { lines: Number(r.n), sum: Number(r.s) };
}

async function importRow(id: string) {
  return t.deps.db.selectFrom('transactionImport').selectAll().where('transactionImportId', '=', id).executeTakeFirstOrThrow();
}

async function job(key: string) {
  return t.deps.db.selectFrom('job').select(['status', 'attempts', 'lastError']).where('idempotencyKey', '=', key).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  t = await createTestApp();
  webDist = await fakeWebDist();
  const author = await userActor(['comp_admin']);
  const reviewer = await userActor(['comp_admin']);
  const finance = await userActor(['finance']);
  admin = author;
  adminEmail = author.email;
  const v = await comp.createPlan(t.deps, author, {
    document: {
      format: PLAN_FORMAT,
      key: `kill_${process.pid}_${Date.now().toString(36)}`,
      name: 'Kill test plan',
      currency: 'EUR',
      effectiveFrom: '2027-01-01',
      payoutPeriod: 'quarter',
      crediting: { partnerCredit: 'plan', directSellerCredit: 'full', partnerSourcedCreditBps: 10_000, partnerInfluencedCreditBps: 10_000, rollupLevels: 0 },
      components: [{ key: 'commission', name: 'Commission', kind: 'commission', rateBps: 1000 }],
    },
  });
  await comp.submitForApproval(t.deps, author, v.id);
  await comp.approveStep(t.deps, reviewer, v.id, { step: 'comp_admin', comment: '' });
  await comp.approveStep(t.deps, finance, v.id, { step: 'finance', comment: '' });
  await comp.publishVersion(t.deps, reviewer, v.id);
  planVersionId = v.id;
  const rows = Array.from({ length: 20 }, (_, i) => ({ compParticipantId: newId(), externalRef: `R${i}`, displayName: `Seller R${i}` }));
  await inTransaction(t.deps, system, (trx) => trx.insertInto('compParticipant').values(rows).execute());
  for (const r of rows) {
    P.set(r.externalRef, r.compParticipantId);
    await comp.createAssignment(t.deps, author, { participantId: r.compParticipantId, planId: v.planId, effectiveFrom: '2027-01-01', effectiveTo: null });
  }
}, 120_000);

afterAll(async () => {
  await killAll();
  await t?.close();
  if (webDist) await fs.rm(webDist, { recursive: true, force: true });
});

describe('kill -9 during an import, a run and a close', () => {
  let acknowledged = { lines: 0, sum: 0 };
  let runId = '';

  it('an import commit killed mid-way leaves its batch absent, keeps every acknowledged batch, and is completed by the restarted worker', async () => {
    // An acknowledged batch: committed, answered.
    const a = await importFile(
      csv(
        Array.from({ length: 3000 }, (_, i) => ({
          ref: `A-${i}`,
          on: `2027-0${(i % 3) + 1}-${String((i % 28) + 1).padStart(2, '0')}`,
          amount: (i % 50) + 1,
          seller: `R${i % 10}`,
        })),
      ),
    );
    expect(a).toMatchObject({ status: 'committed', storedLines: 3000 });
    acknowledged = await ledger();

    // The batch to kill: 30k rows committed by the job in chunks of 5000; R10..R19 appear only from row 15001.
    const rows = Array.from({ length: 30_000 }, (_, i) => ({
      ref: `B-${i}`,
      on: `2027-0${(i % 3) + 1}-${String((i % 28) + 1).padStart(2, '0')}`,
      amount: (i % 70) + 1,
      seller: i < 15_000 ? `R${i % 10}` : `R${10 + (i % 10)}`,
    }));
    const b = await importFile(csv(rows), 0);
    expect(b.status).toBe('committing');
    const bSum = rows.reduce((s, r) => s + r.amount * 100, 0);

    const lock = await holder();
    try {
      // The fourth chunk's lines name R15: its insert waits for this lock (the store's participant check), after three chunks were written.
      await lock.hold('select 1 from comp_participant where comp_participant_id = $1 for update', [P.get('R15')]);
      const w = worker('worker-import');
      const { pid } = await blockedSession('insert into sales_transaction%', w);
      expect((await importRow(b.id)).progressDone).toBe(15_000);
      await kill9(w);
      await lock.release();
      // The dead worker's session ends without committing (its client is gone).
      await sessionGone(lock, pid);
    } finally {
      await lock.end();
    }

    // After the crash: the killed batch is not there at all, the acknowledged one is all there.
    expect(await ledger(b.id)).toEqual({ lines: 0, sum: 0 });
    expect(await ledger()).toEqual(acknowledged);
    expect((await importRow(b.id)).status).toBe('committing');
    expect((await job(`transaction-import:${b.id}`)).status).toBe('running');

    // Restart: the lease of the dead worker runs out, the job is taken over and commits the whole batch once.
    await restartWorker();
    expect(await importRow(b.id)).toMatchObject({ status: 'committed', storedLines: 30_000, progressDone: 30_000 });
    expect(await job(`transaction-import:${b.id}`)).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(await ledger(b.id)).toEqual({ lines: 30_000, sum: bSum });
    acknowledged = await ledger();
    expect(acknowledged.lines).toBe(33_000);
  }, 120_000);

  it('a period run killed while writing its results leaves no result; the restarted worker completes it, and its totals equal the ledger', async () => {
    const run = await runsService.createRun(t.deps, admin, Q1);
    runId = run.id;
    const lock = await holder();
    try {
      // The results reference the plan version: their insert waits for this lock once they are all written.
      await lock.hold('select 1 from comp_plan_version where comp_plan_version_id = $1 for update', [planVersionId]);
      const w = worker('worker-run');
      const { pid } = await blockedSession('%commission_result%', w);
      await kill9(w);
      await lock.release();
      await sessionGone(lock, pid);
    } finally {
      await lock.end();
    }
    const results = () => t.deps.db.selectFrom('commissionResult').selectAll().where('commissionRunId', '=', runId).execute();
    expect(await results()).toEqual([]);
    const killed = await t.deps.db.selectFrom('commissionRun').select(['status', 'resultHash']).where('commissionRunId', '=', runId).executeTakeFirstOrThrow();
    expect(killed).toEqual({ status: 'running', resultHash: null });

    await restartWorker();
    const done = await runsService.getRun(t.deps, admin, runId);
    expect(done).toMatchObject({ status: 'completed', resultCount: 20 });
    expect(await job(`commission-run:${runId}`)).toMatchObject({ status: 'succeeded', attempts: 2 });

    // Ledger totals equal the run's totals: per participant, the credit is the sum of their lines in
    // the period, and the payout 10% of it; over all, the store's whole sum (every line is in Q1).
    const byParticipant = await t.deps.db
      .selectFrom('salesTransaction')
      .select((eb) => ['participantId', eb.fn.sum<string>('amountMinor').as('s')])
      .where('recognisedOn', '>=', Q1.periodStart)
      .where('recognisedOn', '<', Q1.periodEnd)
      .groupBy('participantId')
      .execute();
    const ledgerBy = new Map(byParticipant.map((r) => [r.participantId, Number(r.s)]));
    const rows = await results();
    expect(rows.length).toBe(20);
    for (const r of rows) {
      expect(r.quotaCreditMinor, `credit of ${r.participantId}`).toBe(ledgerBy.get(r.participantId));
      expect(r.totalMinor, `payout of ${r.participantId}`).toBe((ledgerBy.get(r.participantId) ?? 0) / 10);
    }
    expect(rows.reduce((s, r) => s + r.quotaCreditMinor, 0)).toBe(acknowledged.sum);
  }, 120_000);

  it('a close killed mid-transaction is not applied at all; killed at its audit append it is applied whole or not at all; either way it closes exactly once', async () => {
    expect(runId).not.toBe('');
    const period = await closeService.createPeriod(t.deps, admin, Q1);
    const port = await freePort();
    const apiEnv = {
      DATABASE_URL: t.database.url,
      REALIGN_PROCESS: 'api',
      PORT: String(port),
      HOST: '127.0.0.1',
      REALIGN_WEB_DIST: webDist,
      REALIGN_DB_POOL_SIZE: '4',
    };
    const base = `http://127.0.0.1:${port}`;
    const api = async (name: string) => {
      const p = startApp(name, apiEnv);
      await waitForReady(port, p, 60_000);
      return p;
    };
    const versions = () =>
      t.deps.db.selectFrom('commissionPeriodVersion').select(['version', 'commissionRunId']).where('commissionPeriodId', '=', period.id).execute();
    const closeAudits = async () =>
      (await t.deps.db.selectFrom('auditEntry').select('seq').where('action', '=', 'commission_period.close').where('entityId', '=', period.id).execute())
        .length;

    let p = await api('api-close-1');
    const login = await http(base, 'POST', '/api/auth/login', { body: { email: adminEmail, password: TEST_PASSWORD } });
    expect(login.status, login.text).toBe(200);
    const session = sessionFrom(login);
    const close = () => http(base, 'POST', `/api/comp/periods/${period.id}/close`, { session, body: { runId } });

    /** Sends a close, kills the API once its session waits on the held row at `pattern`, and lets the orphaned session finish; answers where it waited. */
    const killDuringClose = async (hold: [string, unknown[]], pattern: string | string[]): Promise<string> => {
      const lock = await holder();
      try {
        await lock.hold(...hold);
        const pending = close().catch((e: unknown) => e);
        const { pid, query } = await blockedSession(pattern, p);
        await kill9(p);
        expect(await pending, 'the close was never answered').toBeInstanceOf(Error);
        await lock.release();
        await sessionGone(lock, pid);
        return query;
      } finally {
        await lock.end();
      }
    };

    // 1. Killed mid-transaction: the period row is updated (its closing run's reference waits for the
    // run row), nothing is committed. After the crash the period is open, with no version and no audit entry.
    await killDuringClose(['select 1 from commission_run where commission_run_id = $1 for update', [runId]], 'update "commission_period"%');
    expect(await closeService.getPeriod(t.deps, admin, period.id)).toMatchObject({ status: 'open' });
    expect(await versions()).toEqual([]);
    expect(await closeAudits()).toBe(0);

    // 2. Killed while it appends its audit entry, the close's last step, waiting for the chain head.
    // The append runs in COMMIT (a deferred trigger, migration 0032), so the server finishes the
    // commit without the client and the close is applied whole; were the append ever made immediate
    // again, nothing would be applied: the test accepts both, never half.
    p = await api('api-close-2');
    const at = await killDuringClose(['select 1 from audit_chain_head for update', []], ['commit', '%audit_chain_head%']);
    const inCommit = at.trim().toLowerCase() === 'commit';
    expect(await closeService.getPeriod(t.deps, admin, period.id)).toMatchObject(inCommit ? { status: 'closed', closedRunId: runId } : { status: 'open' });
    expect(await versions()).toEqual(inCommit ? [{ version: 1, commissionRunId: runId }] : []);
    expect(await closeAudits()).toBe(inCommit ? 1 : 0);

    // 3. After a restart, the same session asks again (it never got an answer): applied once by
    // now, it is refused and nothing changes; not applied, it closes now, once.
    p = await api('api-close-3');
    const again = await close();
    expect(again.status, again.text).toBe(inCommit ? 409 : 200);
    expect((await close()).status).toBe(409);
    expect(await versions()).toEqual([{ version: 1, commissionRunId: runId }]);
    expect(await closeAudits()).toBe(1);
    const view = await http(base, 'GET', `/api/comp/periods/${period.id}`, { session });
    expect(view.json as unknown as CommissionPeriodView).toMatchObject({ status: 'closed' });
  }, 120_000);
});
