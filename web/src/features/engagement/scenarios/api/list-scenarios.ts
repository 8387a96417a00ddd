import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ScenarioView } from '../../../../../../common/api/engagement-scenarios.ts';
import { api, withQuery } from '../../../../lib/api-client.ts';

export function listScenarios(includeInactive: boolean, signal?: AbortSignal): Promise<{ items: ScenarioView[] }> {
  return api.get<{ items: ScenarioView[] }>(withQuery('/api/scenarios', { includeInactive: includeInactive ? 'true' : undefined }), signal);
}

export const scenariosQueryOptions = (includeInactive = false) =>
  queryOptions({ queryKey: ['scenarios', 'list', includeInactive], queryFn: ({ signal }) => listScenarios(includeInactive, signal) });

export function useScenarios(includeInactive = false) {
  return useQuery(scenariosQueryOptions(includeInactive));
}
