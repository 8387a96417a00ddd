import { sql } from 'kysely';
import type { Trx } from '../../deps.ts';

/**
 * SQL of the deal estimator. It reads, never writes: comp-plans' participants and assignments, the
 * transaction store (through simulation.repository.ts), dated rates, and the opportunity or deal
 * registration an estimate is prefilled from.
 */

/** Makes the estimate's transaction read only: PostgreSQL then refuses any write in it. */
export async function readOnly(trx: Trx): Promise<void> {
  await sql`set transaction read only`.execute(trx);
}

export async function participantOf(trx: Trx, id: string) {
  return trx
    .selectFrom('compParticipant')
    .select(['compParticipantId', 'displayName', 'managerParticipantId', 'activeFrom', 'activeTo'])
    .where('compParticipantId', '=', id)
    .executeTakeFirst();
}

export async function assignmentsOf(trx: Trx, participantId: string) {
  return trx
    .selectFrom('compPlanAssignment')
    .select(['effectiveFrom', 'effectiveTo'])
    .where('compParticipantId', '=', participantId)
    .orderBy('effectiveFrom')
    .execute();
}

/** The participant and everyone up to `levels` levels below them in the manager chain (whose deals roll up to them). */
export async function participantAndReports(trx: Trx, id: string, levels: number): Promise<string[]> {
  const r = await sql<{ id: string }>`
with recursive below(id, level, path) as (
  select ${id}::uuid, 0, array[${id}::uuid]
  union all
  select p.comp_participant_id, b.level + 1, b.path || p.comp_participant_id
  from comp_participant p join below b on p.manager_participant_id = b.id
  where b.level < ${levels}::integer and p.comp_participant_id <> all(b.path)
)
select distinct id from below`.execute(trx);
  return r.rows.map((x) => x.id).sort();
}

/** Every dated rate into a currency valid before a day (the lookup picks the latest per transaction day). */
export async function fxRatesInto(trx: Trx, toCurrency: string, before: string) {
  return trx
    .selectFrom('fxRate')
    .select(['currency', 'toCurrency', 'validOn', 'numerator', 'denominator', 'rate'])
    .where('toCurrency', '=', toCurrency)
    .where('validOn', '<', before)
    .execute();
}

export async function opportunityOf(trx: Trx, id: string) {
  return trx
    .selectFrom('opportunity')
    .select([
      'opportunityId',
      'externalId',
      'sellerParticipantId',
      'accountName',
      'product',
      'stage',
      'closeOn',
      'valueMinor',
      'currency',
      'partnerId',
      'scenario',
    ])
    .where('opportunityId', '=', id)
    .executeTakeFirst();
}

export async function registrationOf(trx: Trx, id: string) {
  return trx
    .selectFrom('dealRegistration as r')
    .innerJoin('scenario as s', 's.scenarioId', 'r.scenarioId')
    .select([
      'r.dealRegistrationId',
      'r.reference',
      'r.partnerId',
      'r.status',
      'r.productLine',
      'r.valueMinor',
      'r.currency',
      'r.expectedCloseOn',
      's.key as scenario',
    ])
    .where('r.dealRegistrationId', '=', id)
    .executeTakeFirst();
}

/** Participants by name or reference (all of them, or only the given ids), by name. */
export async function searchParticipants(trx: Trx, f: { q: string | undefined; ids: readonly string[] | null; limit: number }) {
  if (f.ids !== null && f.ids.length === 0) return [];
  let q = trx.selectFrom('compParticipant').select(['compParticipantId', 'displayName', 'externalRef']);
  if (f.ids !== null) q = q.where('compParticipantId', 'in', [...f.ids]);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('displayName', 'ilike', like), eb('externalRef', 'ilike', like)]));
  }
  return q.orderBy('displayName').orderBy('compParticipantId').limit(f.limit).execute();
}
