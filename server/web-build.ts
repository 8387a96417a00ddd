import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from './lib/logger.ts';

const WEB_SOURCES = ['web/src', 'web/index.html', 'vite.config.ts'];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

/**
 * `npm start` on a fresh clone, or after pulling new web code: build the web app when it is missing
 * or older than its sources. A deployment without the sources keeps whatever bundle it ships.
 */
export async function ensureWebBuilt(webDist: string, log: Logger): Promise<void> {
  const index = path.join(webDist, 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(...WEB_SOURCES.map((s) => newestMtime(path.resolve(s))));
  if (built > 0 && (sources === 0 || built >= sources)) return;
  log.info({ webDist }, built === 0 ? 'building the web app (first start)' : 'rebuilding the web app (sources changed)');
  const viteBin = path.resolve('node_modules', 'vite', 'bin', 'vite.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [viteBin, 'build', '--logLevel', 'warn', '--outDir', webDist, '--emptyOutDir'], { stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
    child.on('error', reject);
  });
}
