import { registrationStatuses, type RegistrationStatusName } from '../../../common/api/engagement-registrations.ts';
import type { RegistrationSummary } from '../../../common/api/engagement-summary.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps } from '../../deps.ts';
import { AppError } from '../../lib/errors.ts';
import * as repo from './registrations-summary.repository.ts';
import { isPartnerUser, seesOnlyOwnQueue } from './registrations.policy.ts';

function zeroFilled(counts: Map<RegistrationStatusName, number>) {
  return registrationStatuses.map((status) => ({ status, count: counts.get(status) ?? 0 }));
}

/**
 * The engagement overview for vendor staff. Channel staff count every registration; any other
 * internal user counts what is routed to them, as the list does. Partner users have their own list.
 */
export async function registrationSummary(deps: Deps, actor: Actor): Promise<RegistrationSummary> {
  if (isPartnerUser(actor)) throw new AppError('forbidden', 'The engagement overview is for vendor staff');
  const now = deps.clock.now();
  const me = actor.kind === 'user' ? actor.userId : null;
  const routed = deps.isolationChecks && seesOnlyOwnQueue(actor);
  const filter: repo.SummaryFilter = { routedToUserId: routed && me ? me : undefined };
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return inTransaction(deps, actor, async (trx) => {
    const [cells, scenarios, headline, approvedThisMonth] = [
      await repo.countByScenarioAndStatus(trx, filter),
      await repo.allScenarios(trx),
      await repo.headlineCounts(trx, { ...filter, now, meUserId: me }),
      await repo.countApprovedSince(trx, { ...filter, since: monthStart }),
    ];
    const overall = new Map<RegistrationStatusName, number>();
    const perScenario = new Map<string, Map<RegistrationStatusName, number>>();
    for (const c of cells) {
      overall.set(c.status, (overall.get(c.status) ?? 0) + c.count);
      const m = perScenario.get(c.scenarioId) ?? new Map<RegistrationStatusName, number>();
      m.set(c.status, c.count);
      perScenario.set(c.scenarioId, m);
    }
    const byScenario = scenarios
      // Inactive scenarios stay listed while registrations still use them.
      .filter((s) => s.active || perScenario.has(s.scenarioId))
      .map((s) => {
        const m = perScenario.get(s.scenarioId) ?? new Map<RegistrationStatusName, number>();
        return {
          scenario: { key: s.key, name: s.name, isRenewal: s.isRenewal },
          total: [...m.values()].reduce((a, b) => a + b, 0),
          byStatus: zeroFilled(m),
        };
      });
    return {
      asOf: now.toISOString(),
      scope: routed ? 'routed' : 'all',
      total: cells.reduce((a, c) => a + c.count, 0),
      awaitingFirstResponse: headline.awaiting,
      overdue: headline.overdue,
      myQueue: headline.mine,
      approvedThisMonth,
      monthStartsOn: monthStart.toISOString().slice(0, 10),
      byStatus: zeroFilled(overall),
      byScenario,
    };
  });
}
