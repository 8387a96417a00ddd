import { useQuery } from '@tanstack/react-query';
import type { SimulationView } from '../../../../../common/api/comp-simulation.ts';
import { api } from '../../../lib/api-client.ts';
import { simulationKeys, simulationPaths } from './paths.ts';

export function getSimulation(id: string, signal?: AbortSignal): Promise<SimulationView> {
  return api.get<SimulationView>(simulationPaths.simulation(id), signal);
}

/** A stored simulation with its result; results never change, so it is never refetched. */
export function useSimulation(id: string | null) {
  return useQuery({
    queryKey: simulationKeys.one(id ?? ''),
    queryFn: ({ signal }) => getSimulation(id ?? '', signal),
    enabled: id !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}
