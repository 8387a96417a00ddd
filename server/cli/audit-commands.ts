import type { Command } from 'commander';
import { systemActor } from '../actor.ts';
import { DATABASE_HELP, printJson, printLine, progressBar, withDeps } from './cli-runtime.ts';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The audit log').addHelpText('after', DATABASE_HELP);

  audit
    .command('verify')
    .description('Recompute the audit hash chain; exit code 1 and the first broken entry when it does not hold')
    .option('--json', 'print the result as JSON: { ok, entries, firstBrokenSeq, problem }')
    .addHelpText('after', DATABASE_HELP)
    .action(async (opts: { json?: boolean }) => {
      const { verifyAuditChain } = await import('../modules/audit/audit.service.ts');
      const bar = progressBar('Verifying', { json: opts.json, unit: 'entries' });
      const result = await withDeps((deps) => verifyAuditChain(deps, systemActor('cli'), (done, total) => bar.update(done, Math.max(total, 1)))).finally(() =>
        bar.stop(),
      );
      if (opts.json) printJson(result);
      else if (result.ok) printLine(`The audit chain holds: ${result.entries} entries verified.`);
      else process.stderr.write(`The audit chain is broken at entry ${result.firstBrokenSeq}: ${result.problem}\n`);
      if (!result.ok) process.exitCode = 1;
    });
}
