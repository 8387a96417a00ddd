import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createDatabase } from './db/create-db.ts';
import { migrateToLatest } from './db/migrate.ts';
import { systemClock, type Deps } from './deps.ts';
import { jobDefinitions, recurringJobs } from './jobs/registry.ts';
import { startScheduler, startWorker } from './jobs/worker.ts';
import { createLogger } from './lib/logger.ts';
import { ensureWebBuilt } from './web-build.ts';

/**
 * Process entry. REALIGN_PROCESS picks the roles: `all` (the embedded default: API, worker and
 * scheduler in one process), `api`, or `worker`. Several of each can share one external PostgreSQL.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const database = await createDatabase(config, log);
  const stops: (() => Promise<void>)[] = [];
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => log.error({ err }, 'error while stopping'));
    await database.close().catch((err: unknown) => log.error({ err }, 'error while closing the database'));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    await migrateToLatest(database.db);
    const deps: Deps = { db: database.db, clock: systemClock, log, config, isolationChecks: true };

    if (config.process !== 'api') {
      const worker = startWorker(deps, jobDefinitions);
      const scheduler = startScheduler(deps, recurringJobs);
      stops.push(
        async () => scheduler.stop(),
        () => worker.stop(),
      );
      log.info({ workerId: worker.id }, 'worker started');
    }
    if (config.process !== 'worker') {
      if (process.argv.includes('--demo')) {
        const { loadDemo } = await import('./cli/demo.ts');
        await loadDemo(deps, { scale: 1, quiet: true });
      }
      await ensureWebBuilt(config.webDist, log);
      const app = await buildApp(deps, { serveWeb: true });
      stops.push(() => app.close());
      await app.listen({ port: config.http.port, host: config.http.host });
      log.info({ db: database.kind }, `Realign is ready at http://${config.http.host}:${config.http.port}`);
    }
  } catch (err) {
    log.fatal({ err }, 'start-up failed');
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await database.close().catch(() => undefined);
    process.exit(1);
  }
}

await main();
