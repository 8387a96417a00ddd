import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/scope.ts';
import type { RegistrationStatus } from './engagement.table.ts';

/** SQL of the engagement overview: counts only, never rows. */

const openStatuses: readonly RegistrationStatus[] = ['submitted', 'under_review', 'more_info_requested'];

export type SummaryFilter = {
  /** A reviewer who is not channel staff: only registrations naming them as reviewer or escalation contact. */
  routedToUserId?: string | undefined;
};

type Reg = { r: DB['dealRegistration'] };

function scoped<O>(q: SelectQueryBuilder<DB & Reg, 'r', O>, f: SummaryFilter): SelectQueryBuilder<DB & Reg, 'r', O> {
  const u = f.routedToUserId;
  if (!u) return q;
  return q.where((eb) => eb.or([eb('r.reviewerUserId', '=', u), eb('r.escalationUserId', '=', u)]));
}

/** Counts per scenario and status; scenarios and statuses without registrations are absent. */
export async function countByScenarioAndStatus(trx: Trx, f: SummaryFilter) {
  const rows = await scoped(trx.selectFrom('dealRegistration as r'), f)
    .select((eb) => ['r.scenarioId', 'r.status', eb.fn.countAll<string>().as('n')])
    .groupBy(['r.scenarioId', 'r.status'])
    .execute();
  return rows.map((r) => ({ scenarioId: r.scenarioId, status: r.status, count: Number(r.n) }));
}

export async function allScenarios(trx: Trx) {
  return trx.selectFrom('scenario').select(['scenarioId', 'key', 'name', 'isRenewal', 'active']).orderBy('sortOrder').orderBy('name').execute();
}

const waitingForFirstAnswer = (eb: ExpressionBuilder<DB & Reg, 'r'>) => eb.and([eb('r.status', 'in', openStatuses), eb('r.firstResponseAt', 'is', null)]);

/**
 * The headline numbers in one pass. "Overdue" is the rule of the list's overdue filter: waiting
 * for a first answer and either flagged by the SLA timer or past its due time.
 */
export async function headlineCounts(trx: Trx, f: SummaryFilter & { now: Date; meUserId: string | null }) {
  const me = f.meUserId ?? '00000000-0000-0000-0000-000000000000';
  const row = await scoped(trx.selectFrom('dealRegistration as r'), f)
    .select((eb) => [
      eb.fn.countAll<string>().filterWhere(waitingForFirstAnswer(eb)).as('awaiting'),
      eb.fn
        .countAll<string>()
        .filterWhere((e) => e.and([waitingForFirstAnswer(e), e.or([e('r.slaBreachedAt', 'is not', null), e('r.slaDueAt', '<', f.now)])]))
        .as('overdue'),
      eb.fn
        .countAll<string>()
        .filterWhere((e) => e.and([e('r.status', 'in', openStatuses), e('r.reviewerUserId', '=', me)]))
        .as('mine'),
    ])
    .executeTakeFirstOrThrow();
  return { awaiting: Number(row.awaiting), overdue: Number(row.overdue), mine: Number(row.mine) };
}

/** Registrations with an approval event at or after `since`, counted once each. */
export async function countApprovedSince(trx: Trx, f: SummaryFilter & { since: Date }): Promise<number> {
  const row = await scoped(trx.selectFrom('dealRegistration as r'), f)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('registrationEvent as e')
          .select('e.registrationEventId')
          .whereRef('e.dealRegistrationId', '=', 'r.dealRegistrationId')
          .where('e.toStatus', '=', 'approved')
          .where('e.at', '>=', f.since),
      ),
    )
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
