import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RegistrationSummary } from '../../../../../../common/api/engagement-summary.ts';
import { api } from '../../../../lib/api-client.ts';

export function getRegistrationSummary(signal?: AbortSignal): Promise<RegistrationSummary> {
  return api.get<RegistrationSummary>('/api/registrations/summary', signal);
}

export const registrationSummaryQueryOptions = () =>
  queryOptions({
    // Under the registrations key, so every registration change refreshes the overview too.
    queryKey: ['registrations', 'summary'],
    queryFn: ({ signal }) => getRegistrationSummary(signal),
  });

export function useRegistrationSummary() {
  return useQuery(registrationSummaryQueryOptions());
}
