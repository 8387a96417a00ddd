import { InvalidArgumentError, type Command } from 'commander';
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
    .option('--dataset <name>', 'which demonstration data set to load')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', DATABASE_HELP)
    .action(async (opts: { scale: number; dataset?: string; json?: boolean }) => {
      // Loaded only when asked for: the other commands work without the demo module.
      const [{ loadDemo }, { migrateToLatest }] = await Promise.all([import('./demo.ts'), import('../db/migrate.ts')]);
      const quiet = Boolean(opts.json) || !process.stderr.isTTY;
      const result: unknown = await withDeps(async (deps) => {
        await migrateToLatest(deps.db);
        return loadDemo(deps, { scale: opts.scale, quiet, ...(opts.dataset !== undefined ? { dataset: opts.dataset } : {}) });
      });
      if (opts.json) printJson(result ?? null);
      else printLine(result && typeof result === 'object' ? `Demo data loaded: ${JSON.stringify(result)}` : 'Demo data loaded.');
    });
}
