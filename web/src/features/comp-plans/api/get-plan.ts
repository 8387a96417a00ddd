import { useQuery } from '@tanstack/react-query';
import type { PlanDetail } from '../../../../../common/api/comp-plans.ts';
import { api } from '../../../lib/api-client.ts';
import { compKeys, compPaths } from './paths.ts';

export function getPlan(id: string, signal?: AbortSignal): Promise<PlanDetail> {
  return api.get<PlanDetail>(compPaths.plan(id), signal);
}

export function usePlan(id: string) {
  return useQuery({ queryKey: compKeys.plan(id), queryFn: ({ signal }) => getPlan(id, signal) });
}
