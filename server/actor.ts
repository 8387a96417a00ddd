import type { Role } from '../common/roles.ts';
import type { DbScope } from './db/scope.ts';

/** Who is acting: a signed-in user (through a session or an API token) or the system itself. */
export type UserActor = {
  readonly kind: 'user';
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly partnerId: string | null;
  readonly roles: readonly Role[];
  readonly via: 'session' | 'token';
  readonly requestId: string | null;
};

export type SystemActor = { readonly kind: 'system'; readonly name: string; readonly requestId: string | null };

export type Actor = UserActor | SystemActor;

export function systemActor(name: string, requestId: string | null = null): SystemActor {
  return { kind: 'system', name, requestId };
}

export function scopeOf(actor: Actor): DbScope {
  if (actor.kind === 'system') return { kind: 'system' };
  if (actor.partnerId) return { kind: 'partner', userId: actor.userId, partnerId: actor.partnerId };
  return { kind: 'internal', userId: actor.userId };
}

export function isPartnerActor(actor: Actor): actor is UserActor & { partnerId: string } {
  return actor.kind === 'user' && actor.partnerId !== null;
}

export function hasRole(actor: Actor, ...wanted: Role[]): boolean {
  return actor.kind === 'system' || actor.roles.some((r) => wanted.includes(r));
}

export function actorLabel(actor: Actor): string {
  return actor.kind === 'system' ? `system:${actor.name}` : actor.email;
}
