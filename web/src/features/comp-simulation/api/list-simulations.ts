import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SimulationPage } from '../../../../../common/api/comp-simulation.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { simulationKeys, simulationPaths } from './paths.ts';

export type SimulationListQuery = { limit: number; offset: number };

export function listSimulations(query: SimulationListQuery, signal?: AbortSignal): Promise<SimulationPage> {
  return api.get<SimulationPage>(withQuery(simulationPaths.simulations, query), signal);
}

export function useSimulations(query: SimulationListQuery) {
  return useQuery({ queryKey: simulationKeys.list(query), queryFn: ({ signal }) => listSimulations(query, signal), placeholderData: keepPreviousData });
}
