import type { Insertable } from 'kysely';
import type { Trx } from '../../db/scope.ts';
import type { DB } from '../../db/schema.ts';

export async function listActivityTypes(trx: Trx) {
  return trx.selectFrom('activityType').select(['key', 'name', 'description', 'active']).orderBy('name').execute();
}

export async function existingPartnerIds(trx: Trx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await trx.selectFrom('partner').select('partnerId').where('partnerId', 'in', ids).execute();
  return new Set(rows.map((r) => r.partnerId));
}

/** Inserts the activities; one whose (source, external ref) exists already is skipped. Returns the ids inserted. */
export async function insertActivities(trx: Trx, rows: readonly Insertable<DB['activity']>[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const r = await trx
    .insertInto('activity')
    .values([...rows])
    .onConflict((oc) => oc.columns(['source', 'externalRef']).where('externalRef', 'is not', null).doNothing())
    .returning('activityId')
    .execute();
  return new Set(r.map((x) => x.activityId));
}

function selectActivities(trx: Trx) {
  return trx
    .selectFrom('activity as a')
    .innerJoin('activityType as t', 't.key', 'a.kind')
    .leftJoin('compParticipant as s', 's.compParticipantId', 'a.participantId')
    .leftJoin('partner as p', 'p.partnerId', 'a.partnerId')
    .select([
      'a.activityId',
      'a.kind',
      't.name as kindName',
      'a.participantId',
      's.displayName as participantName',
      'a.partnerId',
      'p.name as partnerName',
      'a.occurredOn',
      'a.quantity',
      'a.note',
      'a.source',
      'a.externalRef',
      'a.createdAt',
    ]);
}
export type ActivityRow = Awaited<ReturnType<ReturnType<typeof selectActivities>['executeTakeFirstOrThrow']>>;

export async function findActivity(trx: Trx, id: string): Promise<ActivityRow | undefined> {
  return selectActivities(trx).where('a.activityId', '=', id).executeTakeFirst();
}

export async function findActivityByRef(trx: Trx, source: string, externalRef: string): Promise<ActivityRow | undefined> {
  return selectActivities(trx)
    .where('a.source', '=', source as 'manual')
    .where('a.externalRef', '=', externalRef)
    .executeTakeFirst();
}

export type ActivityFilter = {
  participantId?: string | undefined;
  partnerId?: string | undefined;
  kind?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
};

export async function listActivities(trx: Trx, f: ActivityFilter): Promise<{ rows: ActivityRow[]; total: number }> {
  let query = selectActivities(trx);
  if (f.participantId) query = query.where('a.participantId', '=', f.participantId);
  if (f.partnerId) query = query.where('a.partnerId', '=', f.partnerId);
  if (f.kind) query = query.where('a.kind', '=', f.kind);
  if (f.from) query = query.where('a.occurredOn', '>=', f.from);
  if (f.to) query = query.where('a.occurredOn', '<', f.to);
  if (f.q) query = query.where('a.note', 'ilike', `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const [rows, total] = await Promise.all([
    query.orderBy('a.occurredOn', 'desc').orderBy('a.activityId').limit(f.limit).offset(f.offset).execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}
