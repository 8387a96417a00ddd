import { useQuery } from '@tanstack/react-query';
import type { PlanDiffView } from '../../../../../common/api/comp-plans.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { compKeys, compPaths } from './paths.ts';

export function getPlanDiff(id: string, from: string | null, signal?: AbortSignal): Promise<PlanDiffView> {
  return api.get<PlanDiffView>(withQuery(compPaths.versionDiff(id), { from }), signal);
}

export function usePlanDiff(id: string, from: string | null) {
  return useQuery({ queryKey: compKeys.diff(id, from), queryFn: ({ signal }) => getPlanDiff(id, from, signal) });
}
