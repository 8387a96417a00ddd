import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { safeCsv } from '../../common/csv-export.ts';
import { systemActor } from '../actor.ts';
import { DATABASE_HELP, printJson, printLine, withDeps } from './cli-runtime.ts';

export function registerScorecardsCommands(program: Command): void {
  const imports = program.commands.find((c) => c.name() === 'import') ?? program.command('import').description('Import data from other systems');
  imports
    .command('maven-crm')
    .description('Import the Maven Analytics CRM opportunities (sales_teams.csv, sales_pipeline.csv, products.csv, accounts.csv) as sellers and opportunities')
    .argument('<dir>', 'the folder holding the CSV files')
    .option('--report <file>', 'write every reported value (file, line, kind, message) to this CSV file')
    .option('--json', 'print the whole report as JSON')
    .addHelpText(
      'after',
      `
Sellers and managers become compensation participants (matched by reference "maven-crm:agent:NAME"
and "maven-crm:manager:NAME"); opportunities are matched by opportunity_id, so running the import
again adds nothing. Irregular values are reported, never dropped silently: a row is imported (with a
note when a value was interpreted, e.g. "GTXPro" read as "GTX Pro") or listed as rejected.
${DATABASE_HELP}`,
    )
    .action(async (dir: string, opts: { report?: string; json?: boolean }) => {
      const [{ importMavenCrm }, { readMavenCrmDir }, { migrateToLatest }] = await Promise.all([
        import('../modules/scorecards/opportunities.service.ts'),
        import('../modules/scorecards/maven-files.ts'),
        import('../db/migrate.ts'),
      ]);
      const texts = await readMavenCrmDir(dir);
      const report = await withDeps(async (deps) => {
        await migrateToLatest(deps.db);
        return importMavenCrm(deps, systemActor('cli:import-maven-crm'), texts);
      });
      if (opts.report) {
        const rows = report.notes.map((n) => [n.file, n.line, n.kind, report.kinds[n.kind]?.outcome ?? '', n.message]);
        await writeFile(opts.report, safeCsv(['file', 'line', 'kind', 'outcome', 'message'], rows), 'utf8');
      }
      if (opts.json) {
        printJson(report);
        return;
      }
      const o = report.opportunities;
      printLine(`Read ${report.pipelineRows} opportunities and ${report.teamRows} sales team rows.`);
      printLine(`Sellers and managers: ${report.sellers.created} created, ${report.sellers.updated} updated, ${report.sellers.unchanged} unchanged.`);
      printLine(`Opportunities: ${o.inserted} inserted, ${o.updated} updated, ${o.unchanged} unchanged, ${o.rejected} rejected.`);
      printLine('Reported values:');
      for (const [kind, n] of Object.entries(report.counts)) {
        if (n === 0) continue;
        const k = report.kinds[kind];
        printLine(`  ${String(n).padStart(6)}  ${kind} (${k?.outcome ?? ''}): ${k?.label ?? ''}`);
        for (const note of report.notes.filter((x) => x.kind === kind).slice(0, 3)) printLine(`          ${note.file}:${note.line} ${note.message}`);
      }
      printLine(opts.report ? `Every reported value is listed in ${opts.report}.` : 'Add --report FILE for the full list with file and line.');
    });
}
