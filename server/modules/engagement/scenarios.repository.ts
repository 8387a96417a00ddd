import type { Insertable, Updateable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/scope.ts';

function selectScenarios(trx: Trx) {
  return trx
    .selectFrom('scenario')
    .selectAll('scenario')
    .select((eb) =>
      eb
        .exists(
          eb.selectFrom('dealRegistration').select('dealRegistration.dealRegistrationId').whereRef('dealRegistration.scenarioId', '=', 'scenario.scenarioId'),
        )
        .as('inUse'),
    );
}
export type ScenarioRow = Awaited<ReturnType<ReturnType<typeof selectScenarios>['executeTakeFirstOrThrow']>>;

export async function listScenarios(trx: Trx, f: { includeInactive: boolean }): Promise<ScenarioRow[]> {
  let q = selectScenarios(trx);
  if (!f.includeInactive) q = q.where('scenario.active', '=', true);
  return q.orderBy('scenario.sortOrder').orderBy('scenario.name').execute();
}

export async function findScenario(trx: Trx, scenarioId: string): Promise<ScenarioRow | undefined> {
  return selectScenarios(trx).where('scenario.scenarioId', '=', scenarioId).executeTakeFirst();
}

export async function findScenarioByKey(trx: Trx, key: string) {
  return trx.selectFrom('scenario').select(['scenarioId', 'key']).where('key', '=', key).executeTakeFirst();
}

/** Key, name and flags of every scenario, active or not: what rule sets are checked and rendered with. */
export async function allScenarioRefs(trx: Trx) {
  return trx.selectFrom('scenario').select(['key', 'name', 'isRenewal', 'active', 'sortOrder']).orderBy('sortOrder').orderBy('name').execute();
}

export async function insertScenario(trx: Trx, row: Insertable<DB['scenario']>): Promise<void> {
  await trx.insertInto('scenario').values(row).execute();
}

export async function updateScenario(trx: Trx, scenarioId: string, patch: Updateable<DB['scenario']>): Promise<number> {
  const r = await trx.updateTable('scenario').set(patch).where('scenarioId', '=', scenarioId).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
