import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { apiTokenView } from '../../../../../common/api/identity.ts';
import { api } from '../../../lib/api-client.ts';

export type ApiTokenView = z.infer<typeof apiTokenView>;

export function listApiTokens(signal?: AbortSignal): Promise<{ items: ApiTokenView[] }> {
  return api.get<{ items: ApiTokenView[] }>('/api/api-tokens', signal);
}

export const apiTokensQueryOptions = () => queryOptions({ queryKey: ['api-tokens'], queryFn: ({ signal }) => listApiTokens(signal) });

export function useApiTokens() {
  return useQuery(apiTokensQueryOptions());
}
