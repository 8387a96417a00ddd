import { InvalidArgumentError, Option, type Command } from 'commander';
import path from 'node:path';
import { systemActor } from '../actor.ts';
import { DATABASE_HELP, printJson, printLine, withDeps } from './cli-runtime.ts';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of 1 or more.');
  return n;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Load demonstration data (migrates the database first if needed)')
    .option('--scale <n>', 'how much data: 1 is a small programme, larger numbers multiply it', positiveInteger, 1)
    .addOption(
      new Option('--dataset <name>', 'which data set: the Helion scenario, or a real public data set from --data-dir')
        .choices(['helion', 'adventureworks', 'maven-crm'])
        .default('helion'),
    )
    .option('--data-dir <dir>', 'folder of the real data sets (adventureworks-reseller-channel/, maven-crm-sales-opportunities/)', '../shared/data')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', DATABASE_HELP)
    .action(async (opts: { scale: number; dataset: string; dataDir: string; json?: boolean }) => {
      // Loaded only when asked for: the other commands work without the demo module.
      const [{ loadDemo }, { migrateToLatest }] = await Promise.all([import('./demo.ts'), import('../db/migrate.ts')]);
      const quiet = Boolean(opts.json) || !process.stderr.isTTY;
      const result: unknown = await withDeps(async (deps) => {
        await migrateToLatest(deps.db);
        if (opts.dataset === 'adventureworks') {
          // The AdventureWorks reseller channel (../shared/data/adventureworks-reseller-channel): docs/comp-plans.md.
          const aw = await import('../modules/commissions/adventureworks.service.ts');
          const actor = systemActor('demo');
          return aw.importAdventureWorks(deps, actor, {
            dir: path.resolve(opts.dataDir, 'adventureworks-reseller-channel'),
            approvers: await aw.adventureWorksApprovers(deps, actor),
            ...(quiet ? {} : { onProgress: (m: string) => process.stderr.write(`adventureworks: ${m}\n`) }),
          });
        }
        if (opts.dataset === 'maven-crm') {
          // The Maven CRM opportunities (../shared/data/maven-crm-sales-opportunities): docs/scorecards.md.
          const [{ importMavenCrm }, { readMavenCrmDir }] = await Promise.all([
            import('../modules/scorecards/opportunities.service.ts'),
            import('../modules/scorecards/maven-files.ts'),
          ]);
          return importMavenCrm(deps, systemActor('demo'), await readMavenCrmDir(path.resolve(opts.dataDir, 'maven-crm-sales-opportunities')));
        }
        return loadDemo(deps, { scale: opts.scale, quiet });
      });
      if (opts.json) printJson(result ?? null);
      else printLine(result && typeof result === 'object' ? `Demo data loaded: ${JSON.stringify(result)}` : 'Demo data loaded.');
    });
}
