import type { Command } from 'commander';
import { setupRequest } from '../../common/api/identity.ts';
import { AppError } from '../lib/errors.ts';
import { DATABASE_HELP, printJson, printLine, withDeps } from './cli-runtime.ts';

async function readStdinLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0]?.replace(/\r$/, '') ?? '';
}

export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('Administrators').addHelpText('after', DATABASE_HELP);

  admin
    .command('create')
    .description('Create an internal administrator (the first one, or another); migrates the database first if needed')
    .requiredOption('--email <email>', 'their e-mail address (their sign-in name)')
    .requiredOption('--password <password>', 'at least 12 characters; "-" reads it from the first line of stdin (keeps it out of shell history)')
    .option('--name <name>', 'display name (default: the part of the e-mail before @)')
    .option('--json', 'print the created user as JSON')
    .addHelpText('after', DATABASE_HELP)
    .action(async (opts: { email: string; password: string; name?: string; json?: boolean }) => {
      const password = opts.password === '-' ? await readStdinLine() : opts.password;
      const parsed = setupRequest.safeParse({ email: opts.email, password, displayName: opts.name ?? opts.email.split('@')[0] ?? opts.email });
      if (!parsed.success) {
        const option: Record<string, string> = { email: '--email', password: '--password', displayName: '--name' };
        const problems = parsed.error.issues.map((i) => `${option[String(i.path[0])] ?? String(i.path[0])} ${i.message}`);
        throw new AppError('validation_failed', `Invalid input: ${problems.join('; ')}`);
      }
      const [{ migrateToLatest }, { createAdminFromCli }] = await Promise.all([import('../db/migrate.ts'), import('../modules/identity/identity.service.ts')]);
      const user = await withDeps(async (deps) => {
        await migrateToLatest(deps.db);
        return createAdminFromCli(deps, parsed.data);
      });
      if (opts.json) printJson(user);
      else printLine(`Created administrator ${user.email} (${user.displayName}), id ${user.id}.`);
    });
}
