import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultPoolSize, loadConfig } from './config.ts';
import { workerBatch } from './jobs/worker.ts';

describe('loadConfig', () => {
  it('sizes the pool to the machine unless REALIGN_DB_POOL_SIZE says otherwise', () => {
    expect(defaultPoolSize(2)).toBe(5);
    expect(defaultPoolSize(16)).toBe(33);
    expect(defaultPoolSize(0)).toBe(3);
    expect(loadConfig({}).db.poolSize).toBe(2 * os.availableParallelism() + 1);
    expect(loadConfig({ REALIGN_DB_POOL_SIZE: '12' }).db.poolSize).toBe(12);
  });

  it('refuses a pool too small for a job and its progress connection, naming the setting', () => {
    expect(() => loadConfig({ REALIGN_DB_POOL_SIZE: '1' })).toThrow(ConfigError);
    expect(() => loadConfig({ REALIGN_DB_POOL_SIZE: '1' })).toThrow(/REALIGN_DB_POOL_SIZE/);
  });

  it('leaves a connection free of jobs in the worker', () => {
    expect(workerBatch(2)).toBe(1);
    expect(workerBatch(5)).toBe(4);
    expect(workerBatch(10)).toBe(5);
    expect(workerBatch(200)).toBe(5);
  });
});
