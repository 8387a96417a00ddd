import type { Insertable } from 'kysely';
import { systemActor } from '../server/actor.ts';
import { mulberry32 } from '../server/cli/demo.ts';
import type { DB } from '../server/db/schema.ts';
import { inTransaction } from '../server/deps.ts';
import { newId } from '../server/lib/ids.ts';
import { recordAudit } from '../server/modules/audit/audit.service.ts';
import { appWithSession, selectOneBaseline } from './bench-app.ts';
import type { Benchmark } from './harness.ts';

const syllables = [
  'nor',
  'blu',
  'iron',
  'sil',
  'clear',
  'red',
  'key',
  'bright',
  'mer',
  'co',
  'har',
  'gran',
  'ever',
  'lake',
  'pin',
  'ver',
  'at',
  'bea',
  'crest',
  'fal',
] as const;
const kinds = ['Systems', 'IT Solutions', 'Technology Group', 'Data Services', 'Networks', 'Integration', 'Cloud Partners', 'Consulting'] as const;
const tiers = ['registered', 'silver', 'gold', 'platinum'] as const;
const countries = ['US', 'GB', 'DE', 'FR', 'NL', 'SE', 'ES', 'IT', 'AU', 'JP'] as const;
const BATCH = 1000;

/** S x 1000 partners with made-up names; same seed, same names. */
function partnerRows(count: number): Insertable<DB['partner']>[] {
  const rnd = mulberry32(1000);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const stem = `${pick(syllables)}${pick(syllables)}${pick(syllables)}`;
    const name = `${stem[0]?.toUpperCase()}${stem.slice(1)} ${pick(kinds)} ${String(i).padStart(5, '0')}`;
    return { partnerId: newId(), name, legalName: `${name} Ltd`, tier: pick(tiers), status: 'active', website: null, country: pick(countries) };
  });
}

export const partnerListBench: Benchmark = {
  name: 'api.partners.list',
  description:
    'GET /api/partners through app.inject with a signed-in session (session lookup, scoped transaction, page + count) over S x 1000 partners, against a bare Fastify route doing one `select 1` on the same pool.',
  async setup({ deps, scale }) {
    const rows = partnerRows(scale * 1000);
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      await inTransaction(deps, systemActor('bench'), async (trx) => {
        await trx.insertInto('partner').values(batch).execute();
        await recordAudit(trx, deps, systemActor('bench'), { action: 'bench.setup', entityType: 'partner', entityId: null, after: { inserted: batch.length } });
      });
    }
    const { app, cookie } = await appWithSession(deps);
    const bare = await selectOneBaseline(deps);
    const get = (url: string) => async () => {
      const res = await app.inject({ method: 'GET', url, headers: { cookie } });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    };
    return {
      baseline: bare.baseline,
      cases: [
        { name: 'GET /api/partners (first page of 50)', run: get('/api/partners') },
        { name: 'GET /api/partners?q=crest (substring search)', run: get('/api/partners?q=crest') },
        { name: 'GET /api/partners?q=Data%20Services&offset=500', run: get('/api/partners?q=Data%20Services&offset=500') },
      ],
      notes: [`${rows.length} partners.`],
      async teardown() {
        await app.close();
        await bare.close();
      },
    };
  },
};
