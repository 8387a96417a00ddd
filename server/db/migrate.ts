import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { DB } from './schema.ts';
import * as platform from './migrations/0001-platform.ts';

/** Every migration, in order. Explicit: a new file is listed here, nothing is discovered. */
const migrations: Record<string, Migration> = {
  '0001-platform': platform,
};

export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: result.error });
  }
  return result;
}
