import type { PeriodResultsView } from '../../../common/api/commissions-period-results.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import * as repo from './period-results.repository.ts';
import { canManageRuns, isPartner } from './runs.service.ts';

/**
 * The totals of every version of a commission period, for the close screens: per version the totals
 * per currency, and per participant one total per version. The same readers as the periods
 * themselves (close.service.ts): compensation administrators, finance and administrators.
 */
export async function periodResults(deps: Deps, actor: Actor, id: string, limit: number): Promise<PeriodResultsView> {
  if (isPartner(actor)) throw notFound('Commission period');
  if (!canManageRuns(actor)) throw new AppError('forbidden', 'Compensation administrators, finance and administrators read commission periods');
  return inTransaction(deps, actor, async (trx) => {
    if (!(await repo.periodExists(trx, id))) throw notFound('Commission period');
    const versions = await repo.versionsOf(trx, id);
    const rows = await repo.totalsOfRuns(trx, [...new Set(versions.map((v) => v.commissionRunId))]);
    const index = new Map(versions.map((v, i) => [v.version, i]));
    const people = new Map<string, PeriodResultsView['participants'][number]>();
    const perVersion = versions.map(() => ({ participants: new Set<string>(), totals: new Map<string, number>() }));
    for (const v of versions) {
      const i = index.get(v.version) ?? 0;
      for (const r of rows) {
        if (r.commissionRunId !== v.commissionRunId) continue;
        const acc = perVersion[i];
        if (!acc) continue;
        acc.participants.add(r.participantId);
        acc.totals.set(r.currency, (acc.totals.get(r.currency) ?? 0) + Number(r.totalMinor));
        const key = `${r.participantId}|${r.currency}`;
        let p = people.get(key);
        if (!p)
          people.set(
            key,
            (p = { participantId: r.participantId, name: r.displayName, externalRef: r.externalRef, currency: r.currency, byVersion: versions.map(() => 0) }),
          );
        p.byVersion[i] = Number(r.totalMinor);
      }
    }
    const last = versions.length - 1;
    const all = [...people.values()].sort(
      (a, b) => (b.byVersion[last] ?? 0) - (a.byVersion[last] ?? 0) || a.name.localeCompare(b.name) || (a.participantId < b.participantId ? -1 : 1),
    );
    return {
      periodId: id,
      versions: versions.map((v, i) => ({
        version: v.version,
        kind: v.kind,
        runId: v.commissionRunId,
        resultHash: v.resultHash,
        participantCount: perVersion[i]?.participants.size ?? 0,
        totals: [...(perVersion[i]?.totals.entries() ?? [])].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, totalMinor]) => ({ currency, totalMinor })),
      })),
      participants: all.slice(0, limit),
      participantsLeftOut: Math.max(0, all.length - limit),
      adjustmentsBooked: (await repo.adjustmentsBookedIn(trx, id)).map((a) => ({
        id: a.commissionAdjustmentId,
        participantId: a.participantId,
        name: a.displayName,
        currency: a.currency,
        amountMinor: a.amountMinor,
        reason: a.reason,
        sourcePeriodId: a.sourcePeriodId,
        sourceVersion: a.sourceVersion,
      })),
    };
  });
}
