import type { Command } from 'commander';
import { DATABASE_HELP, printJson, printLine, withDeps } from './cli-runtime.ts';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'dead'] as const;

export function registerJobsCommands(program: Command): void {
  const jobs = program.command('jobs').description('Background jobs').addHelpText('after', DATABASE_HELP);

  jobs
    .command('status')
    .description('How many jobs are in each status')
    .option('--json', 'print the counts as JSON')
    .addHelpText('after', DATABASE_HELP)
    .action(async (opts: { json?: boolean }) => {
      const { jobCounts } = await import('../jobs/jobs.repository.ts');
      const rows = await withDeps((deps) => jobCounts(deps.db));
      const counts: Record<string, number> = Object.fromEntries(STATUSES.map((s) => [s, 0]));
      for (const r of rows) counts[r.status] = Number(r.n);
      if (opts.json) printJson(counts);
      else
        printLine(
          Object.entries(counts)
            .map(([status, n]) => `${status.padEnd(10)} ${n}`)
            .join('\n'),
        );
    });
}
