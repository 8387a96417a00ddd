import { Command } from 'commander';
import { registerAdminCommands } from './admin-commands.ts';
import { registerAuditCommands } from './audit-commands.ts';
import { registerCompCommands } from './comp-commands.ts';
import { registerDbCommands } from './db-commands.ts';
import { registerDemoCommand } from './demo-command.ts';
import { registerJobsCommands } from './jobs-commands.ts';
import { registerScorecardsCommands } from './scorecards-commands.ts';
import { registerServeCommand } from './serve-command.ts';

/** The `realign` command tree. Commands validate and call services; they hold no business logic. */
export function createProgram(): Command {
  const program = new Command('realign')
    .description('Realign: run a channel realignment end to end, then keep running the channel.')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerDbCommands(program);
  registerAdminCommands(program);
  registerAuditCommands(program);
  registerCompCommands(program);
  registerJobsCommands(program);
  registerScorecardsCommands(program);
  registerDemoCommand(program);
  registerServeCommand(program);
  // Every subcommand reports usage errors the same way, through the program's exit override.
  const inherit = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.exitOverride().showHelpAfterError('(add --help for usage)');
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}
