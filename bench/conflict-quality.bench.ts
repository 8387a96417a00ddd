import { sql } from 'kysely';
import { ruleSetContent } from '../common/api/rules.ts';
import { systemActor } from '../server/actor.ts';
import { inTransaction } from '../server/deps.ts';
import { newId } from '../server/lib/ids.ts';
import { normaliseAccountName } from '../server/modules/accounts/accounts.service.ts';
import { recordAudit } from '../server/modules/audit/audit.service.ts';
import { compareNames, detectConflicts } from '../server/modules/engagement/conflicts.repository.ts';
import { matchQuality, nameMatchingFixture } from '../server/modules/engagement/conflicts.quality-fixture.ts';
import { median } from './harness.ts';
import type { Benchmark } from './harness.ts';

const PAIRS = 10_000;
const BATCH = 1000;

export const conflictQualityBench: Benchmark = {
  name: 'engagement.conflict-quality',
  description:
    'End-customer name matching as conflict detection does it (normaliseAccountName, the match key of migration 0006, pg_trgm similarity at the default threshold) on the labelled fixture of S x 10,000 pairs: precision, recall and F1 in the notes; timed: all pairs in one statement, and one detection (both queries) against the fixture names loaded as accounts. Baseline: one `select 1` on the same pool.',
  async setup({ deps, scale }) {
    const threshold = ruleSetContent.shape.conflicts.shape.nameSimilarity.parse(undefined);
    const policy = { mode: 'first_to_register', directOwnedAccounts: 'review', nameSimilarity: threshold } as const;
    const fixture = nameMatchingFixture(PAIRS * scale);
    const pairs = fixture.map((p) => ({ a: normaliseAccountName(p.a), b: normaliseAccountName(p.b) }));
    const compareAll = () => inTransaction(deps, systemActor('bench'), (trx) => compareNames(trx, pairs, threshold));

    const results = await compareAll();
    const q = matchQuality(
      fixture,
      results.map((r) => r.match),
    );
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await compareAll();
      timings.push(performance.now() - t);
    }
    const byKind = new Map<string, { n: number; wrong: number }>();
    fixture.forEach((p, i) => {
      const kind = p.match ? 'match' : `non-match ${p.kind}`;
      const k = byKind.get(kind) ?? { n: 0, wrong: 0 };
      k.n++;
      if (results[i]?.match !== p.match) k.wrong++;
      byKind.set(kind, k);
    });

    // The left-hand names as accounts, so one detection searches them through the trigram index.
    for (let i = 0; i < fixture.length; i += BATCH) {
      const rows = fixture.slice(i, i + BATCH).map((p, k) => ({
        accountId: newId(),
        name: p.a,
        normalisedName: pairs[i + k]?.a ?? '',
        domain: null,
        country: null,
        taxId: null,
        industry: null,
        segment: null,
        parentAccountId: null,
      }));
      await inTransaction(deps, systemActor('bench'), async (trx) => {
        await trx.insertInto('account').values(rows).execute();
        await recordAudit(trx, deps, systemActor('bench'), { action: 'bench.setup', entityType: 'account', entityId: null, after: { inserted: rows.length } });
      });
    }
    await sql`analyze account`.execute(deps.db);
    let next = 0;
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    return {
      baseline: {
        name: 'select 1 on the same pool',
        run: () => sql`select 1`.execute(deps.db),
      },
      cases: [
        { name: `similarity of all ${fixture.length} pairs (one statement)`, run: compareAll },
        {
          name: `one detection against ${fixture.length} accounts (both queries)`,
          run: () => {
            const p = pairs[next++ % pairs.length];
            return inTransaction(deps, systemActor('bench'), (trx) =>
              detectConflicts(
                trx,
                {
                  registrationId: newId(),
                  partnerId: newId(),
                  scenarioId: newId(),
                  productLine: null,
                  normalisedName: p?.b ?? '',
                  domain: null,
                  taxId: null,
                  accountId: null,
                },
                policy,
                '2026-06-15',
              ),
            );
          },
        },
      ],
      notes: [
        `${fixture.length} labelled pairs (${fixture.filter((p) => p.match).length} true matches), seed 20260615, threshold ${threshold}.`,
        `Precision ${pct(q.precision)}, recall ${pct(q.recall)}, F1 ${pct(q.f1)} (TP ${q.truePositives}, FP ${q.falsePositives}, FN ${q.falseNegatives}, TN ${q.trueNegatives}).`,
        `Errors by kind: ${[...byKind.entries()].map(([k, v]) => `${k} ${v.wrong}/${v.n}`).join(', ')}.`,
        `Time per pair in the one-statement comparison: ${((median(timings) * 1000) / fixture.length).toFixed(1)} µs (median of 5).`,
      ],
    };
  },
};
