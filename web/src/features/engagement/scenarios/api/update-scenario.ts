import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ScenarioView, UpdateScenarioRequest } from '../../../../../../common/api/engagement-scenarios.ts';
import { api } from '../../../../lib/api-client.ts';

export function updateScenario(id: string, input: UpdateScenarioRequest): Promise<ScenarioView> {
  return api.patch<ScenarioView>(`/api/scenarios/${encodeURIComponent(id)}`, input);
}

export function useUpdateScenario() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: UpdateScenarioRequest & { id: string }) => updateScenario(id, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['scenarios'] }),
  });
}
