import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { PlanSummary } from '../../../../../common/api/comp-plans.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { compKeys, compPaths } from './paths.ts';

export type PlanListQuery = { q?: string; limit: number; offset: number };
export type PlanPage = { items: PlanSummary[]; total: number };

export function listPlans(query: PlanListQuery, signal?: AbortSignal): Promise<PlanPage> {
  return api.get<PlanPage>(withQuery(compPaths.plans, query), signal);
}

export function usePlans(query: PlanListQuery) {
  return useQuery({ queryKey: compKeys.plans(query), queryFn: ({ signal }) => listPlans(query, signal), placeholderData: keepPreviousData });
}
