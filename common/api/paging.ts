import { z } from 'zod';

export const pageQuery = z.strictObject({
  q: z.string().trim().max(200).optional().describe('Search text'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}
