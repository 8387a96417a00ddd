import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { setupStatus } from '../../../../../common/api/identity.ts';
import { api } from '../../../lib/api-client.ts';

export type SetupStatus = z.infer<typeof setupStatus>;

export function getSetupStatus(signal?: AbortSignal): Promise<SetupStatus> {
  return api.get<SetupStatus>('/api/setup', signal);
}

export const setupStatusQueryOptions = () => queryOptions({ queryKey: ['setup-status'], queryFn: ({ signal }) => getSetupStatus(signal), staleTime: 60_000 });

export function useSetupStatus() {
  return useQuery(setupStatusQueryOptions());
}
