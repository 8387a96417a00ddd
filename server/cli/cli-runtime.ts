import cliProgress from 'cli-progress';
import { pino } from 'pino';
import type { Database } from '../db/create-db.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../lib/errors.ts';

/** Said in the help of every command that opens the database. */
export const DATABASE_HELP = `
The database is opened the way the app opens it: the embedded PostgreSQL in REALIGN_DATA_DIR
(default ./data), or the server DATABASE_URL names. The embedded store takes a lock on its data
directory, so while the app runs on it this command is refused: stop the app first, or use DATABASE_URL.`;

/**
 * Opens the database like the app does, runs one command, and closes it again (which also stops
 * the embedded server). Logs go to stderr so that stdout carries only the command's output.
 */
export async function withDeps<T>(fn: (deps: Deps, database: Database) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: --help and usage errors answer without loading the database stack.
  const [{ loadConfig }, { createDatabase }, { systemClock }] = await Promise.all([import('../config.ts'), import('../db/create-db.ts'), import('../deps.ts')]);
  // A CLI run is quiet unless LOG_LEVEL asks for more: start-up chatter is not the command's output.
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const log = pino({ level: config.logLevel }, pino.destination(2));
  const database = await createDatabase(config, log);
  try {
    return await fn({ db: database.db, clock: systemClock, log, config, isolationChecks: true }, database);
  } finally {
    await database.close();
  }
}

export type Progress = { update(done: number, total: number, detail?: string): void; stop(): void };

/** A progress bar on stderr, only for a person watching: never in --json mode or when stderr is piped. */
export function progressBar(label: string, options: { json?: boolean; unit: string }): Progress {
  if (options.json || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${options.unit} | {detail}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, detail = '') {
      if (!started) {
        bar.start(total, done, { detail });
        started = true;
        return;
      }
      bar.setTotal(total);
      bar.update(done, { detail });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** One line for stderr: AppError messages as they are, others with their own message. */
export function errorLine(err: unknown): string {
  if (err instanceof AppError) return err.message;
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  // undefined_table: the schema is not there yet.
  if (code === '42P01') return `${message} (the database is not migrated yet: run realign db migrate)`;
  return message;
}
