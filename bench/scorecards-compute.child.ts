import os from 'node:os';
import { sql } from 'kysely';
import type pg from 'pg';
import { systemActor } from '../server/actor.ts';
import { loadConfig } from '../server/config.ts';
import { createPool, kyselyFor } from '../server/db/create-db.ts';
import { inTransaction, systemClock, type Deps } from '../server/deps.ts';
import { createLogger } from '../server/lib/logger.ts';
import type { SubjectKind } from '../common/scorecards/metric.ts';
import { serverCpuMs } from './harness.ts';
import { computeInTransaction, findScorecardDefinition, type ComputeStages } from '../server/modules/scorecards/scorecards.service.ts';

/**
 * The scorecards.compute bench's computation in a process of its own, as production runs it (the
 * worker process, never the API's): forked by scorecards-compute.bench.ts with the database, the
 * scorecard and the period; each 'compute' message computes once through computeInTransaction and
 * answers the wall time and this process's CPU time; 'stop' closes the pool and exits.
 */

export type ChildArgs = { connection: pg.PoolConfig; scorecard: string; period: string; level: SubjectKind };
export type ChildAnswer =
  | { ok: true; ms: number; cpuMs: number; pgCpuMs: number | null; subjectCount: number; stages: ComputeStages & { commit?: number } }
  | { ok: false; error: string };

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
const deps: Deps = {
  db: kyselyFor(createPool(args.connection, 4)),
  clock: systemClock,
  log: createLogger('silent'),
  config: loadConfig({ LOG_LEVEL: 'silent', REALIGN_DATA_DIR: os.tmpdir() }),
  isolationChecks: true,
};
const actor = systemActor('bench');
const ref = await inTransaction(deps, actor, (trx) => findScorecardDefinition(trx, args.scorecard));
if (!ref) throw new Error(`no scorecard ${args.scorecard}`);
const send = (m: unknown) => new Promise<void>((resolve) => process.send?.(m, () => resolve()));

process.on('message', (m) => {
  if (m === 'stop') {
    void deps.db.destroy().finally(() => process.disconnect());
    return;
  }
  void (async () => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    try {
      const stages: ComputeStages & { commit?: number } = {};
      let computed = 0;
      let pgCpuMs: number | null = null;
      const r = await inTransaction(deps, actor, async (trx) => {
        const pid = Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]?.pid);
        const before = serverCpuMs(pid);
        const header = await computeInTransaction(trx, ref, args.period, args.level, new Date(), stages);
        computed = performance.now();
        const after = serverCpuMs(pid);
        pgCpuMs = before === null || after === null ? null : after - before;
        return header;
      });
      stages.commit = performance.now() - computed;
      const used = process.cpuUsage(cpu);
      await send({
        ok: true,
        ms: performance.now() - t,
        cpuMs: (used.user + used.system) / 1000,
        pgCpuMs,
        subjectCount: r.subjectCount,
        stages,
      } satisfies ChildAnswer);
    } catch (err) {
      await send({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies ChildAnswer);
    }
  })();
});
await send('ready');
