import { useQuery } from '@tanstack/react-query';
import type { PlanVersionView } from '../../../../../common/api/comp-plans.ts';
import { api } from '../../../lib/api-client.ts';
import { compKeys, compPaths } from './paths.ts';

export function getPlanVersion(id: string, signal?: AbortSignal): Promise<PlanVersionView> {
  return api.get<PlanVersionView>(compPaths.version(id), signal);
}

export function usePlanVersion(id: string | null) {
  return useQuery({ queryKey: compKeys.version(id ?? ''), queryFn: ({ signal }) => getPlanVersion(id ?? '', signal), enabled: id !== null });
}
