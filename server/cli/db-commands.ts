import path from 'node:path';
import type { Command } from 'commander';
import type { BackupProgress } from '../db/backup.ts';
import { DATABASE_HELP, printJson, printLine, progressBar, withDeps } from './cli-runtime.ts';

const MOVE_HELP = `
A backup holds every row of every table as of one consistent snapshot, with the list of applied
migrations, in one gzip file that Realign writes and reads itself (no pg_dump needed). It is also
how a team moves from the embedded store to a managed PostgreSQL: back up with the embedded
database, then restore with DATABASE_URL pointing at an empty database on the new server.`;

function showProgress(label: string, json: boolean) {
  const bar = progressBar(label, { json, unit: 'rows' });
  return { bar, onProgress: (p: BackupProgress) => bar.update(p.rowsDone, Math.max(p.rowsTotal, 1), `${p.table} (${p.tablesDone}/${p.tableCount} tables)`) };
}

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('Database: migrations, backup and restore').addHelpText('after', DATABASE_HELP);

  db.command('migrate')
    .description('Apply the migrations the database has not had yet, and say which ran')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', DATABASE_HELP)
    .action(async (opts: { json?: boolean }) => {
      const { migrateToLatest } = await import('../db/migrate.ts');
      const ran = await withDeps(async (deps) => {
        const result = await migrateToLatest(deps.db);
        return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
      });
      if (opts.json) printJson({ applied: ran });
      else printLine(ran.length === 0 ? 'The database is up to date: no migration to apply.' : ran.map((m) => `applied ${m}`).join('\n'));
    });

  db.command('backup')
    .description('Write a consistent backup of the whole database to one gzip file')
    .requiredOption('--out <file>', 'the backup file to write (it appears only once complete)')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', `${MOVE_HELP}\n${DATABASE_HELP}`)
    .action(async (opts: { out: string; json?: boolean }) => {
      const { backupDatabase } = await import('../db/backup.ts');
      const file = path.resolve(opts.out);
      const { bar, onProgress } = showProgress('Backing up', Boolean(opts.json));
      const summary = await withDeps((deps, database) => backupDatabase(database.pool, file, { createdAt: deps.clock.now(), onProgress })).finally(() =>
        bar.stop(),
      );
      if (opts.json) printJson(summary);
      else
        printLine(
          `Backed up ${summary.rows} rows from ${summary.tables} tables to ${summary.file} (${summary.bytes} bytes, migrations up to ${summary.migrations.at(-1) ?? 'none'}).`,
        );
    });

  db.command('restore')
    .description('Restore a backup file into the database, in one transaction (all or nothing)')
    .requiredOption('--in <file>', 'the backup file to read')
    .option('--force', 'replace everything in a database that already holds data')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
The target is first migrated to the backup's migrations, the rows are loaded, then any newer
migrations run. A target that already holds data is refused unless --force; a target already
migrated past the backup is refused (restore into an empty database instead). A damaged or
truncated file is refused and leaves the target as it was.
${MOVE_HELP}
${DATABASE_HELP}`,
    )
    .action(async (opts: { in: string; force?: boolean; json?: boolean }) => {
      const { restoreAndMigrate } = await import('../db/backup.ts');
      const file = path.resolve(opts.in);
      const { bar, onProgress } = showProgress('Restoring', Boolean(opts.json));
      const summary = await withDeps((deps, database) => restoreAndMigrate(deps.db, database.pool, file, { force: Boolean(opts.force), onProgress })).finally(
        () => bar.stop(),
      );
      if (opts.json) printJson(summary);
      else {
        printLine(
          `Restored ${summary.rows} rows into ${summary.tables} tables from ${summary.file} (backup of ${summary.createdAt}, Realign ${summary.appVersion}).`,
        );
        for (const m of summary.migratedAfter) printLine(`applied ${m}`);
      }
    });
}
