import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateSimulationRequest, SimulationView } from '../../../../../common/api/comp-simulation.ts';
import { api } from '../../../lib/api-client.ts';
import { simulationKeys, simulationPaths } from './paths.ts';

export function createSimulation(input: CreateSimulationRequest): Promise<SimulationView> {
  return api.post<SimulationView>(simulationPaths.simulations, input);
}

/** Runs a simulation; the result is cached as that simulation, and the list refreshed. */
export function useCreateSimulation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createSimulation,
    onSuccess: (v) => {
      queryClient.setQueryData(simulationKeys.one(v.id), v);
      return queryClient.invalidateQueries({ queryKey: simulationKeys.list() });
    },
  });
}
