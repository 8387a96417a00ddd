import { z } from 'zod';

/** The scenario taxonomy: the kinds of opportunity a partner brings. Data, not code. */

export const scenarioKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,59}$/, 'must be a lower-case key such as managed_service (letters, digits, underscores)');

export const scenarioView = z.object({
  id: z.uuid(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  isRenewal: z.boolean(),
  active: z.boolean(),
  sortOrder: z.number().int(),
  /** True once a registration uses it: its key can no longer change. */
  inUse: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ScenarioView = z.infer<typeof scenarioView>;

export const scenarioListQuery = z.strictObject({
  includeInactive: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Administrators and the programme lead may list inactive scenarios too'),
});

export const createScenarioRequest = z.strictObject({
  key: scenarioKey,
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000).default(''),
  isRenewal: z.boolean().default(false),
  sortOrder: z.number().int().min(0).max(100_000).default(0),
});
export type CreateScenarioRequest = z.input<typeof createScenarioRequest>;

export const updateScenarioRequest = z.strictObject({
  key: scenarioKey.optional(),
  name: z.string().trim().min(1).max(120).optional(),
  description: z.string().trim().max(2000).optional(),
  isRenewal: z.boolean().optional(),
  sortOrder: z.number().int().min(0).max(100_000).optional(),
  active: z.boolean().optional().describe('false deactivates the scenario: partners no longer see it; history keeps it'),
});
export type UpdateScenarioRequest = z.input<typeof updateScenarioRequest>;
