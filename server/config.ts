import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const boolish = z.enum(['1', '0', 'true', 'false', 'yes', 'no', '']).transform((v) => v === '1' || v === 'true' || v === 'yes');

/**
 * Connections per process when REALIGN_DB_POOL_SIZE is not set: twice the machine's cores plus one,
 * the usual rule for a database whose work is CPU-bound and whose data is cached. More connections
 * than that do not add throughput: the extra statements only take turns on the same cores, and each
 * of them then takes longer. On the 2-core machine of the registration bench (5 against the old
 * default of 10, docs/benchmarks.md, engagement.registration-load) the p99 at 200 registrations/s
 * fell by about a third. An external server with more cores wants its own figure, shared among the
 * processes that use it.
 */
export function defaultPoolSize(cores = os.availableParallelism()): number {
  return 2 * Math.max(1, cores) + 1;
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  REALIGN_DATA_DIR: z.string().min(1).default('./data'),
  REALIGN_PROCESS: z.enum(['all', 'api', 'worker']).default('all'),
  REALIGN_DB_POOL_SIZE: z.coerce
    .number()
    .int()
    .min(2)
    .max(200)
    .default(() => defaultPoolSize()),
  REALIGN_TRUST_PROXY: boolish.default(false),
  REALIGN_SESSION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(12),
  REALIGN_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  REALIGN_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  REALIGN_LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  REALIGN_WEB_DIST: z.string().default('./dist/web'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Readonly<{
  http: Readonly<{ port: number; host: string; trustProxy: boolean; bodyLimitBytes: number }>;
  db: Readonly<{ kind: 'external'; url: string; poolSize: number } | { kind: 'embedded'; dataDir: string; poolSize: number }>;
  process: 'all' | 'api' | 'worker';
  auth: Readonly<{ sessionHours: number; loginMaxFailures: number; loginLockMinutes: number }>;
  webDist: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}>;

export class ConfigError extends Error {}

/** The only reader of process.env: parses it once, fails fast with every problem named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const config: Config = {
    http: { port: e.PORT, host: e.HOST, trustProxy: e.REALIGN_TRUST_PROXY, bodyLimitBytes: e.REALIGN_BODY_LIMIT_BYTES },
    db: e.DATABASE_URL
      ? { kind: 'external', url: e.DATABASE_URL, poolSize: e.REALIGN_DB_POOL_SIZE }
      : { kind: 'embedded', dataDir: path.resolve(e.REALIGN_DATA_DIR), poolSize: e.REALIGN_DB_POOL_SIZE },
    process: e.REALIGN_PROCESS,
    auth: {
      sessionHours: e.REALIGN_SESSION_HOURS,
      loginMaxFailures: e.REALIGN_LOGIN_MAX_FAILURES,
      loginLockMinutes: e.REALIGN_LOGIN_LOCK_MINUTES,
    },
    webDist: path.resolve(e.REALIGN_WEB_DIST),
    logLevel: e.LOG_LEVEL,
  };
  return Object.freeze(config);
}
