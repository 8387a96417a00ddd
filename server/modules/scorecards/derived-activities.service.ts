import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps } from '../../deps.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { syncDerivedActivities, type SyncCounts } from './derived-activities.repository.ts';

/**
 * Derived activities (docs/scorecards.md, "Derived sources"): accountabilities another area already
 * records, materialised as `activity` rows so the activity log and activity metrics show them.
 * Registrations are not copied: the `registrations` metric source reads them in place.
 */

export const DERIVE_ACTIVITIES_JOB = 'scorecards.derive-activities';

export async function deriveActivities(deps: Deps, actor: Actor): Promise<Record<string, SyncCounts>> {
  if (actor.kind !== 'system') throw new AppError('forbidden', 'Derived activities are written by the system job only');
  return inTransaction(deps, actor, async (trx) => {
    const counts = await syncDerivedActivities(trx);
    // One entry per run that changed something: quiet runs leave the audit log alone. The kinds are
    // values, not keys: keys of audit JSON are camel-cased when read back, which would break its hash.
    const kinds = Object.entries(counts).map(([kind, c]) => ({ kind, ...c }));
    if (kinds.some((c) => c.inserted + c.updated + c.removed > 0))
      await recordAudit(trx, deps, actor, { action: 'activity.derive', entityType: 'activity', entityId: null, after: { kinds } });
    return counts;
  });
}
