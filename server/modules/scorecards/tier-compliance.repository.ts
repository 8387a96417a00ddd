import type { Trx } from '../../deps.ts';

/** The partners whose tier is measured (inactive ones are left out); RLS narrows a partner scope to its own. */
export async function listPartners(trx: Trx, partnerIds?: readonly string[]) {
  let q = trx.selectFrom('partner').select(['partnerId', 'name', 'tier']).where('status', '!=', 'inactive');
  if (partnerIds) q = q.where('partnerId', 'in', partnerIds.length ? partnerIds : ['00000000-0000-0000-0000-000000000000']);
  return q.orderBy('name').orderBy('partnerId').execute();
}

export async function partnerExists(trx: Trx, partnerId: string): Promise<boolean> {
  return (await trx.selectFrom('partner').select('partnerId').where('partnerId', '=', partnerId).executeTakeFirst()) !== undefined;
}

export async function findRules(trx: Trx, key = 'default') {
  return trx.selectFrom('partnerTierRules').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function saveRules(trx: Trx, row: { key: string; rules: unknown; updatedBy: string; updatedByUserId: string | null; now: Date }): Promise<void> {
  const values = { key: row.key, rules: JSON.stringify(row.rules), updatedBy: row.updatedBy, updatedByUserId: row.updatedByUserId, updatedAt: row.now };
  await trx
    .insertInto('partnerTierRules')
    .values(values)
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ rules: values.rules, updatedBy: values.updatedBy, updatedByUserId: values.updatedByUserId, updatedAt: values.updatedAt }),
    )
    .execute();
}

export async function listAttributes(trx: Trx, partnerIds?: readonly string[]) {
  let q = trx.selectFrom('partnerAttribute').select(['partnerId', 'key', 'value', 'note', 'recordedOn', 'updatedBy']);
  if (partnerIds) q = q.where('partnerId', 'in', partnerIds.length ? partnerIds : ['00000000-0000-0000-0000-000000000000']);
  return q.orderBy('partnerId').orderBy('key').execute();
}

export type AttributeUpsert = { partnerId: string; key: string; value: number; note: string | null; recordedOn: string };

export async function upsertAttributes(trx: Trx, rows: readonly AttributeUpsert[], by: { label: string; userId: string | null; now: Date }): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('partnerAttribute')
    .values(rows.map((r) => ({ ...r, updatedBy: by.label, updatedByUserId: by.userId, updatedAt: by.now })))
    .onConflict((oc) =>
      oc.columns(['partnerId', 'key']).doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        note: eb.ref('excluded.note'),
        recordedOn: eb.ref('excluded.recordedOn'),
        updatedBy: eb.ref('excluded.updatedBy'),
        updatedByUserId: eb.ref('excluded.updatedByUserId'),
        updatedAt: eb.ref('excluded.updatedAt'),
      })),
    )
    .execute();
}
