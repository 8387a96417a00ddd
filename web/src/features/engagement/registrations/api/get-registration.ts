import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RegistrationDetail } from '../../../../../../common/api/engagement-registrations.ts';
import { api } from '../../../../lib/api-client.ts';

export function getRegistration(id: string, signal?: AbortSignal): Promise<RegistrationDetail> {
  return api.get<RegistrationDetail>(`/api/registrations/${encodeURIComponent(id)}`, signal);
}

export const registrationQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['registrations', 'detail', id], queryFn: ({ signal }) => getRegistration(id, signal) });

export function useRegistration(id: string) {
  return useQuery(registrationQueryOptions(id));
}
