import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CompSettingsView } from '../../../../../common/api/comp-plans.ts';
import { api, apiRequest } from '../../../lib/api-client.ts';
import { participantKeys, participantPaths } from './paths.ts';

export function getCompSettings(signal?: AbortSignal): Promise<CompSettingsView> {
  return api.get<CompSettingsView>(participantPaths.settings, signal);
}

export function useCompSettings() {
  return useQuery({ queryKey: participantKeys.settings, queryFn: ({ signal }) => getCompSettings(signal) });
}

export function useUpdateCompSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CompSettingsView) => apiRequest<CompSettingsView>(participantPaths.settings, { method: 'PUT', body: input }),
    onSuccess: (settings) => {
      queryClient.setQueryData(participantKeys.settings, settings);
      // Drafts list their problems against the ceiling: read them again.
      return queryClient.invalidateQueries({ queryKey: ['comp', 'version'] });
    },
  });
}
