import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { finished, pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import { knownMigrations, migrateToLatest, migrateUpTo } from './migrate.ts';
import type { DB } from './schema.ts';

/*
 * Realign's own logical backup: the embedded server ships without pg_dump, and a file the
 * application writes and reads itself is also how a team moves from the embedded store to a
 * managed PostgreSQL (back up here, restore there with DATABASE_URL set).
 *
 * The file is one gzip stream of text lines:
 *
 *   line 1        a JSON header: format, formatVersion, appVersion, createdAt, the applied
 *                 migrations, every table (name, columns, row count) in restore order, and the
 *                 sequences with their values
 *   per table     `\.table <name>`, then the table's rows in PostgreSQL's COPY text format (one
 *                 row per line, tab-separated, columns in the header's order, \N for null), then
 *                 `\.end <name> <rows>`
 *   last line     `\.eof`
 *
 * COPY's text format escapes every backslash in the data as `\\` and never escapes a dot, so no
 * data line can begin with `\.`: the marker lines cannot collide with rows. Truncation shows as
 * a missing marker, damage as a gzip error or a row count that does not add up.
 */

export const BACKUP_FORMAT = 'realign-backup';
export const BACKUP_FORMAT_VERSION = 1;

/** kysely's bookkeeping travels as the header's migration list, not as rows. */
const EXCLUDED_TABLES = ['kysely_migration', 'kysely_migration_lock'];

const backupHeader = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  appVersion: z.string(),
  createdAt: z.string(),
  migrations: z.array(z.string()),
  tables: z.array(z.object({ name: z.string(), columns: z.array(z.string()).min(1), rows: z.number().int().min(0) })),
  sequences: z.array(z.object({ name: z.string(), lastValue: z.string().regex(/^-?\d+$/), isCalled: z.boolean() })),
});
export type BackupHeader = z.infer<typeof backupHeader>;

export type BackupProgress = { table: string; tablesDone: number; tableCount: number; rowsDone: number; rowsTotal: number };
export type BackupSummary = { file: string; tables: number; rows: number; migrations: string[]; bytes: number };
export type RestoreSummary = { file: string; tables: number; rows: number; migrations: string[]; createdAt: string; appVersion: string };

type CatalogTable = { oid: number; name: string; columns: string[]; primaryKey: string[]; forceRls: boolean };
type ForeignKey = { name: string; table: string; references: string; deferrable: boolean; deferred: boolean };

export async function appVersion(): Promise<string> {
  const pkg = JSON.parse(await fs.readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

async function readCatalog(client: pg.PoolClient): Promise<{ tables: CatalogTable[]; foreignKeys: ForeignKey[] }> {
  const rels = await client.query<{ oid: number; name: string; force_rls: boolean }>(
    `select c.oid::int as oid, c.relname::text as name, c.relforcerowsecurity as force_rls
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition and c.relname::text <> all($1::text[])
      order by c.relname`,
    [EXCLUDED_TABLES],
  );
  const oids = rels.rows.map((r) => r.oid);
  // Generated columns are computed again on load; COPY refuses values for them.
  const cols = await client.query<{ oid: number; name: string }>(
    `select attrelid::int as oid, attname::text as name from pg_attribute
        where attrelid = any($1::oid[]) and attnum > 0 and not attisdropped and attgenerated = '' order by attrelid, attnum`,
    [oids],
  );
  const pks = await client.query<{ oid: number; columns: string[] }>(
    `select i.indrelid::int as oid, array_agg(a.attname::text order by k.ord) as columns
         from pg_index i cross join unnest(i.indkey) with ordinality k(attnum, ord)
         join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
        where i.indisprimary and i.indrelid = any($1::oid[]) group by i.indrelid`,
    [oids],
  );
  const fks = await client.query<{ name: string; from_oid: number; to_oid: number; deferrable: boolean; deferred: boolean }>(
    `select conname::text as name, conrelid::int as from_oid, confrelid::int as to_oid, condeferrable as deferrable, condeferred as deferred
         from pg_constraint where contype = 'f' and conrelid = any($1::oid[]) order by conname`,
    [oids],
  );
  const nameOf = new Map(rels.rows.map((r) => [r.oid, r.name]));
  const tables = rels.rows.map((r) => ({
    oid: r.oid,
    name: r.name,
    columns: cols.rows.filter((c) => c.oid === r.oid).map((c) => c.name),
    primaryKey: pks.rows.find((p) => p.oid === r.oid)?.columns ?? [],
    forceRls: r.force_rls,
  }));
  const foreignKeys = fks.rows
    .filter((f) => nameOf.has(f.to_oid))
    .map((f) => ({
      name: f.name,
      table: nameOf.get(f.from_oid) ?? '',
      references: nameOf.get(f.to_oid) ?? '',
      deferrable: f.deferrable,
      deferred: f.deferred,
    }));
  return { tables: orderForRestore(tables, foreignKeys), foreignKeys };
}

/**
 * Referenced tables before the tables that reference them (name order among equals, so the file
 * is stable). A table referencing itself needs nothing: PostgreSQL checks a foreign key at the end
 * of the statement, after the whole COPY. Tables on a cycle go last; see cycleConstraints.
 */
export function orderForRestore<T extends { name: string }>(tables: T[], foreignKeys: readonly Pick<ForeignKey, 'table' | 'references'>[]): T[] {
  const pending = new Map(tables.map((t) => [t.name, new Set<string>()]));
  for (const fk of foreignKeys) if (fk.table !== fk.references) pending.get(fk.table)?.add(fk.references);
  const ordered: T[] = [];
  const left = [...tables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  while (left.length > 0) {
    const next = left.findIndex((t) => (pending.get(t.name)?.size ?? 0) === 0);
    const [table] = left.splice(next === -1 ? 0 : next, 1);
    if (!table) break;
    ordered.push(table);
    for (const deps of pending.values()) deps.delete(table.name);
  }
  return ordered;
}

/** Foreign keys that point at a table loaded later (only on a cycle): checked at commit instead. */
function cycleConstraints(tables: readonly { name: string }[], foreignKeys: readonly ForeignKey[]): ForeignKey[] {
  const position = new Map(tables.map((t, i) => [t.name, i]));
  return foreignKeys.filter((fk) => fk.table !== fk.references && (position.get(fk.references) ?? 0) > (position.get(fk.table) ?? 0));
}

function countLines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Writes a consistent backup of the whole database to `file`: every row as of one snapshot
 * (one REPEATABLE READ READ ONLY transaction), streamed, never held in memory. The file appears
 * only once it is complete.
 */
export async function backupDatabase(
  pool: pg.Pool,
  file: string,
  options: { createdAt: Date; onProgress?: (p: BackupProgress) => void },
): Promise<BackupSummary> {
  const partial = `${file}.partial-${process.pid}`;
  const client = await pool.connect();
  let released = false;
  try {
    await client.query('begin isolation level repeatable read read only');
    // An owner that is not a superuser is still bound by FORCE ROW LEVEL SECURITY: the system scope sees every row.
    await client.query(`select set_config('realign.scope', 'system', true)`);
    const migrations = await appliedMigrations(client, 'The database');
    const { tables } = await readCatalog(client);
    const counted: BackupHeader['tables'] = [];
    for (const t of tables) {
      const r = await client.query<{ n: string }>(`select count(*)::text as n from ${client.escapeIdentifier(t.name)}`);
      counted.push({ name: t.name, columns: t.columns, rows: Number(r.rows[0]?.n ?? 0) });
    }
    const seqs = await client.query<{ name: string }>(
      `select c.relname::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'S' order by c.relname`,
    );
    const sequences: BackupHeader['sequences'] = [];
    for (const s of seqs.rows) {
      const r = await client.query<{ last_value: string; is_called: boolean }>(`select last_value::text, is_called from ${client.escapeIdentifier(s.name)}`);
      const row = r.rows[0];
      if (row) sequences.push({ name: s.name, lastValue: row.last_value, isCalled: row.is_called });
    }
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      appVersion: await appVersion(),
      createdAt: options.createdAt.toISOString(),
      migrations,
      tables: counted,
      sequences,
    };

    const gzip = createGzip();
    const written = pipeline(gzip, createWriteStream(partial, { mode: 0o600 }));
    written.catch(() => undefined);
    const write = async (chunk: Buffer | string) => {
      if (!gzip.write(chunk)) await once(gzip, 'drain');
    };
    try {
      await write(`${JSON.stringify(header)}\n`);
      const rowsTotal = counted.reduce((n, t) => n + t.rows, 0);
      let rowsDone = 0;
      for (const [i, t] of tables.entries()) {
        const q = (c: string) => client.escapeIdentifier(c);
        // Without a primary key every column orders the rows, as text: some types (json) have no ordering.
        const orderBy = t.primaryKey.length > 0 ? t.primaryKey.map(q).join(', ') : t.columns.map((c) => `${q(c)}::text`).join(', ');
        await write(`\\.table ${t.name}\n`);
        const out = client.query(copyTo(`copy (select ${t.columns.map(q).join(', ')} from ${q(t.name)} order by ${orderBy}) to stdout`));
        let rows = 0;
        for await (const chunk of out as AsyncIterable<Buffer>) {
          rows += countLines(chunk);
          await write(chunk);
          options.onProgress?.({ table: t.name, tablesDone: i, tableCount: tables.length, rowsDone: rowsDone + rows, rowsTotal });
        }
        rowsDone += rows;
        await write(`\\.end ${t.name} ${rows}\n`);
        options.onProgress?.({ table: t.name, tablesDone: i + 1, tableCount: tables.length, rowsDone, rowsTotal });
      }
      await write('\\.eof\n');
      gzip.end();
      await written;
    } catch (err) {
      gzip.destroy();
      await written.catch(() => undefined);
      throw err;
    }
    await client.query('commit');
    client.release();
    released = true;
    await fs.rename(partial, file);
    const { size } = await fs.stat(file);
    return { file, tables: tables.length, rows: counted.reduce((n, t) => n + t.rows, 0), migrations, bytes: size };
  } catch (err) {
    await fs.rm(partial, { force: true });
    if (!released) {
      await client.query('rollback').catch(() => undefined);
      client.release();
    }
    throw err;
  }
}

async function appliedMigrations(client: pg.PoolClient, which: string): Promise<string[]> {
  const found = await client.query<{ ok: boolean }>(`select to_regclass('public.kysely_migration') is not null as ok`);
  if (!found.rows[0]?.ok) throw new AppError('conflict', `${which} has no migrations applied: run realign db migrate first`);
  const r = await client.query<{ name: string }>('select name from kysely_migration order by name');
  return r.rows.map((m) => m.name);
}

/** The lines of a stream, without their newline; a last line without one means the file was cut short. */
async function* linesOf(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of input) {
    const buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
      yield buf.subarray(start, nl);
      start = nl + 1;
    }
    rest = buf.subarray(start);
  }
  if (rest.length > 0) throw new BackupFileError('it ends in the middle of a line');
}

class BackupFileError extends Error {}

function damaged(file: string, reason: string): AppError {
  return new AppError('bad_request', `The backup file ${file} is damaged or incomplete (${reason}); nothing was restored`);
}

async function openBackup(file: string): Promise<{ lines: AsyncGenerator<Buffer>; header: BackupHeader; close(): void }> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new AppError('bad_request', `The backup file ${file} does not exist`);
  const gunzip = createGunzip();
  const source = createReadStream(file);
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  const lines = linesOf(gunzip);
  const close = () => {
    source.destroy();
    gunzip.destroy();
  };
  try {
    const first = await lines.next();
    if (first.done) throw new BackupFileError('it is empty');
    let parsed: unknown;
    try {
      parsed = JSON.parse(first.value.toString('utf8'));
    } catch {
      throw new AppError('bad_request', `${file} is not a Realign backup (its first line is not a backup header)`);
    }
    const header = backupHeader.safeParse(parsed);
    if (!header.success) {
      const version = (parsed as { formatVersion?: unknown } | null)?.formatVersion;
      if ((parsed as { format?: unknown } | null)?.format === BACKUP_FORMAT && version !== BACKUP_FORMAT_VERSION) {
        throw new AppError(
          'bad_request',
          `${file} is a Realign backup in format version ${String(version)}; this version of Realign reads version ${BACKUP_FORMAT_VERSION}`,
        );
      }
      throw new AppError('bad_request', `${file} is not a Realign backup (its header is not recognised)`);
    }
    return { lines, header: header.data, close };
  } catch (err) {
    close();
    throw asBackupError(file, err);
  }
}

function asBackupError(file: string, err: unknown): unknown {
  if (err instanceof BackupFileError) return damaged(file, err.message);
  const code = (err as { code?: unknown }).code;
  const message = (err as Error).message;
  if (typeof code === 'string' && code.startsWith('Z_')) return damaged(file, message === 'incorrect header check' ? 'it is not a gzip file' : message);
  if (code === 'ERR_STREAM_PREMATURE_CLOSE') return damaged(file, 'it ends early');
  return err;
}

/** Reads and checks a backup's header only (the CLI shows it and prepares the schema from it). */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  const b = await openBackup(file);
  b.close();
  return b.header;
}

/**
 * Restores a backup into a database migrated to exactly the backup's migrations, in ONE
 * transaction: a damaged file or a failed row leaves the target as it was. Refuses a target that
 * already holds data unless `force` (then its rows are replaced).
 *
 * Runs as the connecting role (the owner, or a superuser), never as realign_app: for the length of
 * the transaction it lifts FORCE ROW LEVEL SECURITY (COPY FROM refuses RLS tables otherwise) and
 * the user triggers (audit_entry refuses TRUNCATE; loaded rows must stay exactly as they were).
 */
export async function restoreDatabase(
  pool: pg.Pool,
  file: string,
  options: { force: boolean; onProgress?: (p: BackupProgress) => void },
): Promise<RestoreSummary> {
  const backup = await openBackup(file);
  const { header } = backup;
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('realign.scope', 'system', true)`);
    await checkMigrations(client, header.migrations);

    const { tables, foreignKeys } = await readCatalog(client);
    const inBackup = new Set(header.tables.map((t) => t.name));
    const missing = header.tables.filter((t) => !tables.some((x) => x.name === t.name)).map((t) => t.name);
    const extra = tables.filter((t) => !inBackup.has(t.name)).map((t) => t.name);
    if (missing.length > 0 || extra.length > 0) {
      throw new AppError(
        'conflict',
        `The target database's tables do not match the backup's (${[...missing.map((m) => `missing here: ${m}`), ...extra.map((e) => `not in the backup: ${e}`)].join(', ')}); nothing was restored`,
      );
    }
    const q = (name: string) => client.escapeIdentifier(name);
    const all = tables.map((t) => q(t.name)).join(', ');
    // Nothing else may write between the emptiness check and the load.
    await client.query(`lock table ${all} in access exclusive mode`);
    if (!options.force && (await holdsData(client))) {
      throw new AppError('conflict', 'The target database already holds data: restore into an empty database, or pass --force to replace everything in it');
    }

    const triggers = await client.query<{ table: string; name: string }>(
      `select c.relname::text as table, t.tgname::text as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
        where not t.tgisinternal and t.tgenabled <> 'D' and t.tgrelid = any($1::oid[]) order by 1, 2`,
      [tables.map((t) => t.oid)],
    );
    for (const t of triggers.rows) await client.query(`alter table ${q(t.table)} disable trigger ${q(t.name)}`);
    const forced = tables.filter((t) => t.forceRls);
    for (const t of forced) await client.query(`alter table ${q(t.name)} no force row level security`);
    const cyclic = cycleConstraints(orderForRestore(header.tables, foreignKeys), foreignKeys);
    for (const fk of cyclic) {
      if (!fk.deferrable) await client.query(`alter table ${q(fk.table)} alter constraint ${q(fk.name)} deferrable initially deferred`);
      else await client.query(`set constraints ${q(fk.name)} deferred`);
    }
    await client.query(`truncate table ${all}`);

    const rowsTotal = header.tables.reduce((n, t) => n + t.rows, 0);
    let rowsDone = 0;
    try {
      for (const [i, t] of header.tables.entries()) {
        rowsDone += await loadTable(client, backup.lines, t, (rows) =>
          options.onProgress?.({ table: t.name, tablesDone: i, tableCount: header.tables.length, rowsDone: rowsDone + rows, rowsTotal }),
        );
        options.onProgress?.({ table: t.name, tablesDone: i + 1, tableCount: header.tables.length, rowsDone, rowsTotal });
      }
      const eof = await backup.lines.next();
      if (eof.done || eof.value.toString('utf8') !== '\\.eof') throw new BackupFileError('the end marker is missing');
      // Reading on to the end makes gzip check its CRC and length: damage anywhere is caught before commit.
      if (!(await backup.lines.next()).done) throw new BackupFileError('there is data after the end marker');
    } catch (err) {
      throw asBackupError(file, err);
    }

    for (const s of header.sequences) {
      await client.query('select setval($1::regclass, $2::bigint, $3)', [q(s.name), s.lastValue, s.isCalled]);
    }
    if (cyclic.length > 0) await client.query('set constraints all immediate');
    for (const fk of cyclic) {
      if (!fk.deferrable) await client.query(`alter table ${q(fk.table)} alter constraint ${q(fk.name)} not deferrable initially immediate`);
    }
    for (const t of forced) await client.query(`alter table ${q(t.name)} force row level security`);
    for (const t of triggers.rows) await client.query(`alter table ${q(t.table)} enable trigger ${q(t.name)}`);
    await client.query('commit');
    return { file, tables: header.tables.length, rows: rowsTotal, migrations: header.migrations, createdAt: header.createdAt, appVersion: header.appVersion };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
    backup.close();
  }
}

async function checkMigrations(client: pg.PoolClient, wanted: readonly string[]): Promise<void> {
  const applied = await appliedMigrations(client, 'The target database');
  const lacking = wanted.filter((m) => !applied.includes(m));
  if (lacking.length > 0) {
    throw new AppError(
      'conflict',
      `The backup needs migrations the target database has not applied (${lacking.join(', ')}): migrate it first (realign db migrate); nothing was restored`,
    );
  }
  const later = applied.filter((m) => !wanted.includes(m));
  if (later.length > 0) {
    throw new AppError(
      'conflict',
      `The target database has migrations the backup predates (${later.join(', ')}): restore into an empty database (a new REALIGN_DATA_DIR, or an empty database at DATABASE_URL), which is then migrated forward; nothing was restored`,
    );
  }
}

/**
 * Every change the application makes writes an audit entry and migrations write none, so a
 * database with no audit entry and no user has nothing a restore could destroy (rows that
 * migrations seed, like the audit chain head, are replaced by the backup's).
 */
async function holdsData(client: pg.PoolClient): Promise<boolean> {
  const r = await client.query<{ found: boolean }>('select exists (select 1 from audit_entry) or exists (select 1 from app_user) as found');
  return r.rows[0]?.found ?? false;
}

const FLUSH_BYTES = 1 << 20;
const NEWLINE = Buffer.from('\n');

async function loadTable(
  client: pg.PoolClient,
  lines: AsyncGenerator<Buffer>,
  table: BackupHeader['tables'][number],
  onRows: (rows: number) => void,
): Promise<number> {
  const begin = await lines.next();
  if (begin.done || begin.value.toString('utf8') !== `\\.table ${table.name}`) throw new BackupFileError(`the section of table ${table.name} is missing`);
  const q = (name: string) => client.escapeIdentifier(name);
  const sink = client.query(copyFrom(`copy ${q(table.name)} (${table.columns.map(q).join(', ')}) from stdin`));
  const done = finished(sink);
  done.catch(() => undefined);
  let parts: Buffer[] = [];
  let size = 0;
  let rows = 0;
  const flush = async () => {
    if (sink.errored) throw sink.errored;
    if (size === 0) return;
    const ok = sink.write(Buffer.concat(parts, size));
    parts = [];
    size = 0;
    if (!ok) await Promise.race([once(sink, 'drain'), done]);
    onRows(rows);
  };
  try {
    for (;;) {
      const next = await lines.next();
      if (next.done) throw new BackupFileError(`it ends inside table ${table.name}`);
      const line = next.value;
      if (line[0] === 0x5c && line[1] === 0x2e) {
        const [marker, name, count] = line.toString('utf8').split(' ');
        if (marker !== '\\.end' || name !== table.name || Number(count) !== rows)
          throw new BackupFileError(`the section of table ${table.name} does not end as it should`);
        break;
      }
      parts.push(line, NEWLINE);
      size += line.length + 1;
      rows++;
      if (size >= FLUSH_BYTES) await flush();
    }
    await flush();
    sink.end();
    await done;
  } catch (err) {
    // Destroying the stream sends CopyFail, so the connection leaves COPY mode before the rollback.
    if (!sink.destroyed) sink.destroy(new Error('the restore was aborted'));
    await done.catch(() => undefined);
    if (err instanceof Error && 'severity' in err) {
      throw new AppError('bad_request', `Table ${table.name} could not be loaded from the backup (${err.message}); nothing was restored`);
    }
    throw err;
  }
  if (rows !== table.rows) throw new BackupFileError(`table ${table.name} has ${rows} rows where the header says ${table.rows}`);
  return rows;
}

/**
 * `realign db restore` end to end: the target's schema is brought to the backup's migrations,
 * the rows are restored, then the migrations made since the backup run as they would on start-up.
 */
export async function restoreAndMigrate(
  db: Kysely<DB>,
  pool: pg.Pool,
  file: string,
  options: { force: boolean; onProgress?: (p: BackupProgress) => void },
): Promise<RestoreSummary & { migratedAfter: string[] }> {
  const header = await readBackupHeader(file);
  const unknown = header.migrations.filter((m) => !knownMigrations.includes(m));
  if (unknown.length > 0) {
    throw new AppError(
      'conflict',
      `The backup was made by a newer version of Realign (${header.appVersion}; migrations ${unknown.join(', ')} are unknown here): restore it with that version or a later one`,
    );
  }
  const last = header.migrations.at(-1);
  const client = await pool.connect();
  let applied: string[];
  try {
    const found = await client.query<{ ok: boolean }>(`select to_regclass('public.kysely_migration') is not null as ok`);
    applied = found.rows[0]?.ok ? (await client.query<{ name: string }>('select name from kysely_migration')).rows.map((r) => r.name) : [];
  } finally {
    client.release();
  }
  // A target already past the backup is left alone: restoreDatabase refuses it with the reason.
  if (last && applied.every((m) => header.migrations.includes(m))) await migrateUpTo(db, last);
  const summary = await restoreDatabase(pool, file, options);
  const after = await migrateToLatest(db);
  return { ...summary, migratedAfter: (after.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
