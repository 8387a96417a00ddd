import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateScenarioRequest, ScenarioView } from '../../../../../../common/api/engagement-scenarios.ts';
import { api } from '../../../../lib/api-client.ts';

export function createScenario(input: CreateScenarioRequest): Promise<ScenarioView> {
  return api.post<ScenarioView>('/api/scenarios', input);
}

export function useCreateScenario() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: createScenario, onSuccess: () => queryClient.invalidateQueries({ queryKey: ['scenarios'] }) });
}
