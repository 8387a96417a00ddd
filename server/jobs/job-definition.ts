import type { z } from 'zod';
import type { Deps } from '../deps.ts';

/** A job kind, declared as data: its name, the shape of its payload and what it does. */
export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  readonly name: string;
  readonly payload: S;
  readonly maxAttempts?: number;
  readonly handler: (deps: Deps, payload: z.output<S>, ctx: { jobId: string; attempt: number }) => Promise<void>;
};

/** A job the scheduler enqueues every `everySeconds`, once per slot however many schedulers run. */
export type RecurringJob = { readonly name: string; readonly everySeconds: number; readonly payload?: unknown };

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}
