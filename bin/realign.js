#!/usr/bin/env node
// The `realign` command. The CLI is TypeScript run by Node's type stripping, so an older Node on
// the PATH hands over to the Node pinned in this package's node_modules.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
const canRunTypeScript = major >= 22 && Boolean(process.features.typescript);

if (!canRunTypeScript && process.env.REALIGN_PINNED_NODE) {
  // Already the hand-over: the pinned Node is unfit too, so stop rather than loop.
  process.stderr.write(`realign: Node ${process.versions.node} at ${process.execPath} cannot run Realign (Node 22 or later with type stripping is needed)\n`);
  process.exit(1);
} else if (!canRunTypeScript) {
  const pinned = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
  const child = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, REALIGN_PINNED_NODE: '1' },
  });
  if (child.error) {
    process.stderr.write(
      `realign: Node ${process.versions.node} cannot run Realign (Node 22 or later is needed) and the pinned Node ${pinned} did not start: ${child.error.message}\n`,
    );
    process.exit(1);
  }
  if (child.signal) process.kill(process.pid, child.signal);
  process.exit(child.status ?? 1);
} else {
  await import('../server/cli/main.ts');
}
