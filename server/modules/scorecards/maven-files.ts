import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../lib/errors.ts';
import { mavenFiles, type MavenTexts } from './maven-import.rules.ts';

/** Reads the Maven CRM folder (sales_teams.csv, sales_pipeline.csv, products.csv; accounts.csv when present). */
export async function readMavenCrmDir(dir: string): Promise<MavenTexts> {
  const read = async (name: string, required: boolean): Promise<string | null> => {
    try {
      return await readFile(join(dir, name), 'utf8');
    } catch (e) {
      if (!required && (e as { code?: string }).code === 'ENOENT') return null;
      throw new AppError('bad_request', `Cannot read ${join(dir, name)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const [salesTeams, pipeline, products, accounts] = await Promise.all([
    read(mavenFiles.salesTeams, true),
    read(mavenFiles.pipeline, true),
    read(mavenFiles.products, true),
    read(mavenFiles.accounts, false),
  ]);
  return { salesTeams: salesTeams ?? '', pipeline: pipeline ?? '', products: products ?? '', accounts };
}
