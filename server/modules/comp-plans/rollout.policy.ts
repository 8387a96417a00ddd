import type { Actor } from '../../actor.ts';
import { canManageComp, canReadAllComp } from './comp-plans.policy.ts';

/**
 * Who may do what with plan documents and rollouts. Partner users see nothing (404). A participant
 * reads their own document and acts on their own recipient row; readers of all comp data see every
 * document and the rollout dashboards; compensation administrators answer disputes and set the clock.
 */

export function canReadRollouts(actor: Actor): boolean {
  return canReadAllComp(actor);
}

export function canManageRollouts(actor: Actor): boolean {
  return canManageComp(actor);
}

/** Whether this is the actor's own participant record (the link to their login). */
export function isSelf(actor: Actor, participant: { appUserId: string | null }): boolean {
  return actor.kind === 'user' && actor.partnerId === null && participant.appUserId !== null && participant.appUserId === actor.userId;
}

export function canReadDocument(actor: Actor, participant: { appUserId: string | null }): boolean {
  return canReadAllComp(actor) || isSelf(actor, participant);
}
