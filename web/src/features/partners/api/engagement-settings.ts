import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EngagementSettingsView } from '../../../../../common/api/partners-reengagement.ts';
import { apiRequest, api } from '../../../lib/api-client.ts';

export function getEngagementSettings(signal?: AbortSignal): Promise<EngagementSettingsView> {
  return api.get<EngagementSettingsView>('/api/settings/engagement', signal);
}

export const engagementSettingsQueryOptions = () =>
  queryOptions({ queryKey: ['settings', 'engagement'], queryFn: ({ signal }) => getEngagementSettings(signal) });

export function useEngagementSettings() {
  return useQuery(engagementSettingsQueryOptions());
}

export function updateEngagementSettings(input: EngagementSettingsView): Promise<EngagementSettingsView> {
  return apiRequest<EngagementSettingsView>('/api/settings/engagement', { method: 'PUT', body: input });
}

export function useUpdateEngagementSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateEngagementSettings,
    onSuccess: (v) => {
      queryClient.setQueryData(['settings', 'engagement'], v);
      return queryClient.invalidateQueries({ queryKey: ['partners'] });
    },
  });
}
