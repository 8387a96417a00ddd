import type { Command } from 'commander';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run Realign (the same as npm start): API, worker and scheduler as REALIGN_PROCESS says')
    .option('--demo', 'load the demonstration data before serving')
    .addHelpText(
      'after',
      `
Configuration comes from the environment (PORT, HOST, DATABASE_URL, REALIGN_DATA_DIR, REALIGN_PROCESS,
LOG_LEVEL, ...). Without DATABASE_URL the embedded PostgreSQL in REALIGN_DATA_DIR is used.`,
    )
    .action(async () => {
      // The server's entry reads --demo from process.argv itself, and ends the process itself on a
      // signal or a failed start: this command must not return and let the CLI exit under it.
      await import('../main.ts');
      await new Promise<never>(() => undefined);
    });
}
