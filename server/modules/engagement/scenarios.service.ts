import type { z } from 'zod';
import type { createScenarioRequest, ScenarioView, updateScenarioRequest } from '../../../common/api/engagement-scenarios.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findPublishedVersion } from './rules.repository.ts';
import { canManageScenarios } from './rules.policy.ts';
import { scenarioKeysNamed } from './rules-text.rules.ts';
import * as repo from './scenarios.repository.ts';

function toView(row: repo.ScenarioRow): ScenarioView {
  return {
    id: row.scenarioId,
    key: row.key,
    name: row.name,
    description: row.description,
    isRenewal: row.isRenewal,
    active: row.active,
    sortOrder: row.sortOrder,
    inUse: Boolean(row.inUse),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

function auditable(v: ScenarioView) {
  const { createdAt: _c, updatedAt: _u, inUse: _i, ...rest } = v;
  return rest;
}

function keyTaken(key: string): AppError {
  return new AppError('conflict', `A scenario with the key "${key}" already exists`, { issues: [{ path: 'body.key', message: 'is already taken' }] });
}

/** Everyone signed in sees the active scenarios; those who keep the taxonomy may see inactive ones too. */
export async function listScenarios(deps: Deps, actor: Actor, f: { includeInactive: boolean }): Promise<ScenarioView[]> {
  const includeInactive = f.includeInactive && canManageScenarios(actor);
  return inTransaction(deps, actor, async (trx) => (await repo.listScenarios(trx, { includeInactive })).map(toView));
}

export async function getScenario(deps: Deps, actor: Actor, scenarioId: string): Promise<ScenarioView> {
  return inTransaction(deps, actor, async (trx) => {
    const row = await repo.findScenario(trx, scenarioId);
    if (!row || (!row.active && !canManageScenarios(actor))) throw notFound('Scenario');
    return toView(row);
  });
}

export async function createScenario(deps: Deps, actor: Actor, input: z.output<typeof createScenarioRequest>): Promise<ScenarioView> {
  if (!canManageScenarios(actor)) throw new AppError('forbidden', 'Only the programme lead and administrators can change scenarios');
  const scenarioId = newId();
  return inTransaction(deps, actor, async (trx) => {
    if (await repo.findScenarioByKey(trx, input.key)) throw keyTaken(input.key);
    await repo.insertScenario(trx, { scenarioId, ...input });
    const row = await repo.findScenario(trx, scenarioId);
    if (!row) throw notFound('Scenario');
    const view = toView(row);
    await recordAudit(trx, deps, actor, { action: 'scenario.create', entityType: 'scenario', entityId: scenarioId, after: auditable(view) });
    return view;
  });
}

/**
 * Changes a scenario; `active: false` deactivates it. The key is what registrations, rule sets and
 * reports refer to, so it stays fixed once a registration uses the scenario or the rules in force name it.
 */
export async function updateScenario(deps: Deps, actor: Actor, scenarioId: string, patch: z.output<typeof updateScenarioRequest>): Promise<ScenarioView> {
  if (!canManageScenarios(actor)) {
    if (actor.kind === 'user' && actor.partnerId !== null) throw notFound('Scenario');
    throw new AppError('forbidden', 'Only the programme lead and administrators can change scenarios');
  }
  return inTransaction(deps, actor, async (trx) => {
    const before = await repo.findScenario(trx, scenarioId);
    if (!before) throw notFound('Scenario');
    if (patch.key !== undefined && patch.key !== before.key) {
      if (before.inUse)
        throw new AppError('conflict', 'The key of a scenario that registrations use cannot change', {
          issues: [{ path: 'body.key', message: 'is used by registrations and cannot change' }],
        });
      const inForce = await findPublishedVersion(trx);
      if (inForce && scenarioKeysNamed(inForce.rules).has(before.key))
        throw new AppError('conflict', 'The rules of the road in force name this scenario by its key; change the rules first', {
          issues: [{ path: 'body.key', message: 'is named by the rules in force and cannot change' }],
        });
      if (await repo.findScenarioByKey(trx, patch.key)) throw keyTaken(patch.key);
    }
    await repo.updateScenario(trx, scenarioId, { ...patch, updatedAt: deps.clock.now() });
    const after = await repo.findScenario(trx, scenarioId);
    if (!after) throw notFound('Scenario');
    const view = toView(after);
    await recordAudit(trx, deps, actor, {
      action: patch.active === false && before.active ? 'scenario.deactivate' : 'scenario.update',
      entityType: 'scenario',
      entityId: scenarioId,
      before: auditable(toView(before)),
      after: auditable(view),
    });
    return view;
  });
}
