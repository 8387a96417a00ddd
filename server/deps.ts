import type { Kysely } from 'kysely';
import type { Actor } from './actor.ts';
import { scopeOf } from './actor.ts';
import type { Config } from './config.ts';
import { inScope, type Trx } from './db/scope.ts';
import type { DB } from './db/schema.ts';
import type { Logger } from './lib/logger.ts';

export type Clock = { now(): Date };
export const systemClock: Clock = { now: () => new Date() };

export type Deps = Readonly<{
  db: Kysely<DB>;
  clock: Clock;
  log: Logger;
  config: Config;
  /**
   * The application's own partner-isolation checks. Always true in production; the isolation test
   * switches it off to prove that row-level security alone keeps partners apart.
   */
  isolationChecks: boolean;
}>;

/** One use-case, one transaction, run under the actor's database scope (RLS). */
export function inTransaction<T>(deps: Deps, actor: Actor, fn: (trx: Trx) => Promise<T>, options: Parameters<typeof inScope>[3] = {}): Promise<T> {
  return inScope(deps.db, scopeOf(actor), fn, options);
}

export type { Trx };
