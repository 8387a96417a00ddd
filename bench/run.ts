import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../server/config.ts';
import { createPool, kyselyFor } from '../server/db/create-db.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../server/db/embedded.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { systemClock, type Deps } from '../server/deps.ts';
import { createLogger } from '../server/lib/logger.ts';
import { authLoginBench } from './auth-login.bench.ts';
import { renderSection, summarise, upsertSection, type Benchmark, type BenchReport, type CaseResult, type MachineInfo } from './harness.ts';
import { partnerListBench } from './partner-list.bench.ts';
import { conflictQualityBench } from './conflict-quality.bench.ts';
import { registrationLoadBench } from './registration-load.bench.ts';
import { transactionImportBench } from './transaction-import.bench.ts';
import { commissionRecalcBench } from './commission-recalc.bench.ts';
import { scorecardsComputeBench } from './scorecards-compute.bench.ts';

/** Every benchmark, listed once. */
const benchmarks: Benchmark[] = [
  partnerListBench,
  authLoginBench,
  conflictQualityBench,
  registrationLoadBench,
  transactionImportBench,
  commissionRecalcBench,
  scorecardsComputeBench,
];

const DOC = path.resolve(import.meta.dirname, '../docs/benchmarks.md');

function usage(): string {
  return [
    'usage: npm run bench -- NAME|all [--scale N] [--runs N] [--warmup N] [--no-write]',
    '',
    'benchmarks:',
    ...benchmarks.map((b) => `  ${b.name.padEnd(22)} ${b.description}`),
  ].join('\n');
}

function positiveInt(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${what} must be a whole number of at least 1, not ${value}`);
  return n;
}

type Server = {
  connection: pg.PoolConfig;
  kind: 'embedded' | 'external';
  freshDatabase(): Promise<{ connection: pg.PoolConfig; drop(): Promise<void> }>;
  stop(): Promise<void>;
};

/** The embedded server in a temporary directory by default; DATABASE_URL's server when set. */
async function openServer(): Promise<Server> {
  const log = createLogger('warn');
  const url = process.env.DATABASE_URL;
  let embedded: EmbeddedServer | undefined;
  let dataDir: string | undefined;
  let admin: pg.PoolConfig;
  if (url) {
    admin = { connectionString: url };
  } else {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'realign-bench-'));
    embedded = await startEmbeddedPostgres({ dataDir, log });
    admin = { ...embedded.connection, database: 'postgres' };
  }
  const withDb = (name: string): pg.PoolConfig => {
    if (admin.connectionString) {
      const u = new URL(admin.connectionString);
      u.pathname = `/${name}`;
      return { connectionString: u.toString() };
    }
    return { ...admin, database: name };
  };
  const query = async (text: string) => {
    const c = new pg.Client(admin);
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };
  return {
    connection: admin,
    kind: embedded ? 'embedded' : 'external',
    async freshDatabase() {
      const name = `realign_bench_${randomBytes(4).toString('hex')}`;
      await query(`create database ${name}`);
      return { connection: withDb(name), drop: () => query(`drop database if exists ${name} with (force)`) };
    },
    async stop() {
      if (embedded) await embedded.stop();
      if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function machineInfo(deps: Deps, kind: 'embedded' | 'external'): Promise<MachineInfo> {
  const v = await sql<{ version: string }>`select version()`.execute(deps.db);
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
    cpuCount: cpus.length,
    totalMemoryBytes: os.totalmem(),
    node: process.version,
    postgres: v.rows[0]?.version ?? 'unknown',
    database: kind,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await run();
  return performance.now() - t;
}

async function runBenchmark(server: Server, b: Benchmark, opts: { scale: number; runs: number; warmup: number }): Promise<BenchReport> {
  const database = await server.freshDatabase();
  // A config of its own: the benchmark never reads the caller's environment beyond DATABASE_URL. The
  // pool has the app's default size for this machine, as a process started without settings has.
  const config = loadConfig({ LOG_LEVEL: 'silent', REALIGN_DATA_DIR: os.tmpdir() });
  const pool = createPool(database.connection, config.db.poolSize);
  const db = kyselyFor(pool);
  const deps: Deps = { db, clock: systemClock, log: createLogger('silent'), config, isolationChecks: true };
  try {
    await migrateToLatest(db);
    process.stdout.write(`${b.name}: setting up at scale ${opts.scale}...\n`);
    const setup = await b.setup({ deps, scale: opts.scale, connection: database.connection });
    try {
      const cases = [setup.baseline, ...setup.cases];
      const samples = cases.map(() => [] as number[]);
      for (let i = 0; i < opts.warmup; i++) for (const c of cases) await c.run();
      // Interleaved, so a slow patch of the machine hurts every case alike.
      for (let i = 0; i < opts.runs; i++) {
        for (const [k, c] of cases.entries()) samples[k]?.push(await time(() => c.run()));
      }
      const baselineSamples = samples[0] ?? [];
      const baselineMedian = summarise(setup.baseline.name, baselineSamples, 1, true).medianMs;
      const results: CaseResult[] = cases.map((c, k) => summarise(c.name, samples[k] ?? [], baselineMedian, k === 0));
      return {
        benchmark: b,
        date: new Date().toISOString().slice(0, 10),
        scale: opts.scale,
        runs: opts.runs,
        warmup: opts.warmup,
        machine: await machineInfo(deps, server.kind),
        results,
        notes: setup.notes ?? [],
      };
    } finally {
      await setup.teardown?.();
    }
  } finally {
    await db.destroy();
    await database.drop();
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { scale: { type: 'string' }, runs: { type: 'string' }, warmup: { type: 'string' }, 'no-write': { type: 'boolean' }, help: { type: 'boolean' } },
  });
  const name = positionals[0];
  if (values.help || !name) {
    process.stdout.write(`${usage()}\n`);
    return name || values.help ? 0 : 1;
  }
  const chosen = name === 'all' ? benchmarks : benchmarks.filter((b) => b.name === name);
  if (chosen.length === 0) {
    process.stderr.write(`no benchmark named ${name}\n\n${usage()}\n`);
    return 1;
  }
  const scale = values.scale === undefined ? 1 : Number(values.scale);
  if (!(Number.isFinite(scale) && scale > 0)) throw new Error(`--scale must be a positive number such as 1 or 0.01, not ${values.scale}`);
  const runs = positiveInt(values.runs, 200, '--runs');
  const warmup = values.warmup === undefined ? Math.max(5, Math.ceil(runs / 10)) : positiveInt(values.warmup, 1, '--warmup');

  const server = await openServer();
  try {
    for (const b of chosen) {
      const report = await runBenchmark(server, b, { scale, runs, warmup });
      const section = renderSection(report);
      process.stdout.write(`\n${section}\n\n`);
      if (!values['no-write']) {
        const doc = await fs.readFile(DOC, 'utf8').catch(() => '');
        await fs.mkdir(path.dirname(DOC), { recursive: true });
        await fs.writeFile(DOC, upsertSection(doc, b.name, section));
        process.stdout.write(`written to ${path.relative(process.cwd(), DOC)}\n`);
      }
    }
  } finally {
    await server.stop();
  }
  return 0;
}

process.exitCode = await main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
});
