import { sql } from 'kysely';
import type { OpportunityStage } from '../../../common/scorecards/metric.ts';
import type { Trx } from '../../db/scope.ts';

/**
 * Participants are read here (never written: comp-plans owns comp_participant and creates them
 * through its service). Looked up by external reference for imports.
 */
export async function participantsByRef(trx: Trx, refs: readonly string[]) {
  if (refs.length === 0) return [];
  return trx
    .selectFrom('compParticipant')
    .select(['compParticipantId', 'externalRef', 'displayName', 'managerParticipantId', 'team', 'unit', 'territory', 'appUserId'])
    .where('externalRef', 'in', refs)
    .execute();
}

export async function participantByUser(trx: Trx, userId: string) {
  return trx.selectFrom('compParticipant').select(['compParticipantId', 'displayName']).where('appUserId', '=', userId).executeTakeFirst();
}

export async function participantExists(trx: Trx, id: string): Promise<boolean> {
  return (await trx.selectFrom('compParticipant').select('compParticipantId').where('compParticipantId', '=', id).executeTakeFirst()) !== undefined;
}

export type OpportunityUpsert = {
  opportunityId: string;
  source: string;
  externalId: string;
  sellerParticipantId: string;
  accountName: string | null;
  product: string | null;
  stage: OpportunityStage;
  engageOn: string | null;
  closeOn: string | null;
  valueMinor: number | null;
  currency: string;
};

/**
 * Inserts new opportunities and updates the ones whose source values changed; an unchanged row is
 * not touched. Returns how many were inserted and updated (the rest of the batch was unchanged).
 */
export async function upsertOpportunities(trx: Trx, rows: readonly OpportunityUpsert[], now: Date): Promise<{ inserted: number; updated: number }> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const result = await trx
    .insertInto('opportunity')
    .values(rows.map((r) => ({ ...r, createdAt: now, updatedAt: now })))
    .onConflict((oc) =>
      oc
        .columns(['source', 'externalId'])
        .doUpdateSet({
          sellerParticipantId: (eb) => eb.ref('excluded.sellerParticipantId'),
          accountName: (eb) => eb.ref('excluded.accountName'),
          product: (eb) => eb.ref('excluded.product'),
          stage: (eb) => eb.ref('excluded.stage'),
          engageOn: (eb) => eb.ref('excluded.engageOn'),
          closeOn: (eb) => eb.ref('excluded.closeOn'),
          valueMinor: (eb) => eb.ref('excluded.valueMinor'),
          currency: (eb) => eb.ref('excluded.currency'),
          updatedAt: now,
        })
        .where(
          sql<boolean>`(opportunity.seller_participant_id, opportunity.account_name, opportunity.product, opportunity.stage, opportunity.engage_on,
            opportunity.close_on, opportunity.value_minor, opportunity.currency)
            is distinct from (excluded.seller_participant_id, excluded.account_name, excluded.product, excluded.stage, excluded.engage_on,
            excluded.close_on, excluded.value_minor, excluded.currency)`,
        ),
    )
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .execute();
  const inserted = result.filter((r) => r.inserted).length;
  return { inserted, updated: result.length - inserted };
}

export async function countOpportunities(trx: Trx, source: string): Promise<number> {
  const r = await trx
    .selectFrom('opportunity')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('source', '=', source)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
