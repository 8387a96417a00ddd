import { useQuery } from '@tanstack/react-query';
import type { MyCompPlanView } from '../../../../../common/api/comp-rollout.ts';
import { api } from '../../../lib/api-client.ts';
import { rolloutKeys, rolloutPaths } from './paths.ts';

export function getMyPlan(signal?: AbortSignal): Promise<MyCompPlanView> {
  return api.get<MyCompPlanView>(rolloutPaths.myPlan, signal);
}

export function useMyPlan() {
  return useQuery({ queryKey: rolloutKeys.myPlan, queryFn: ({ signal }) => getMyPlan(signal) });
}
