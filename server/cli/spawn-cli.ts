import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type CliRun = { code: number | null; stdout: string; stderr: string };

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** For tests: runs the real `realign` CLI in a child process against the database at `databaseUrl`. */
export function runCli(args: string[], options: { databaseUrl?: string; input?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', REALIGN_DATA_DIR: '/nonexistent-realign-cli-test' };
    if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
    else delete env.DATABASE_URL;
    const child = spawn(process.execPath, [MAIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
