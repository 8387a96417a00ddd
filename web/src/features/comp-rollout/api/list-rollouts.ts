import { useQuery } from '@tanstack/react-query';
import type { RolloutPage } from '../../../../../common/api/comp-rollout.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { rolloutKeys, rolloutPaths } from './paths.ts';

export type RolloutQuery = { planId?: string | undefined; status?: 'running' | 'superseded' | undefined; limit?: number; offset?: number };

export function listRollouts(query: RolloutQuery, signal?: AbortSignal): Promise<RolloutPage> {
  return api.get<RolloutPage>(withQuery(rolloutPaths.rollouts, query), signal);
}

export function useRollouts(query: RolloutQuery) {
  return useQuery({ queryKey: rolloutKeys.rollouts(query), queryFn: ({ signal }) => listRollouts(query, signal) });
}
