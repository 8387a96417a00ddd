import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from './lib/logger.ts';

/** `npm start` on a fresh clone: build the web app once if it is missing. */
export async function ensureWebBuilt(webDist: string, log: Logger): Promise<void> {
  if (existsSync(path.join(webDist, 'index.html'))) return;
  log.info({ webDist }, 'building the web app (first start)');
  const viteBin = path.resolve('node_modules', 'vite', 'bin', 'vite.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
    child.on('error', reject);
  });
}
