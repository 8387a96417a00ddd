import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { scorecardKeys, scorecardPaths } from './paths.ts';

export type ActivityTypeItem = { key: string; name: string; description: string; active: boolean };

export function listActivityTypes(signal?: AbortSignal): Promise<{ items: ActivityTypeItem[] }> {
  return api.get<{ items: ActivityTypeItem[] }>(scorecardPaths.activityTypes, signal);
}

export function useActivityTypes() {
  return useQuery({ queryKey: scorecardKeys.activityTypes(), queryFn: ({ signal }) => listActivityTypes(signal), staleTime: 5 * 60_000 });
}
