import { useQuery } from '@tanstack/react-query';
import type { RolloutDashboard } from '../../../../../common/api/comp-rollout.ts';
import { api } from '../../../lib/api-client.ts';
import { rolloutKeys, rolloutPaths } from './paths.ts';

export function getRollout(id: string, signal?: AbortSignal): Promise<RolloutDashboard> {
  return api.get<RolloutDashboard>(rolloutPaths.rollout(id), signal);
}

export function useRollout(id: string) {
  return useQuery({ queryKey: rolloutKeys.rollout(id), queryFn: ({ signal }) => getRollout(id, signal) });
}
