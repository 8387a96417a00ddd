import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { MakingTheNumberView } from '../../../../../common/api/scorecard-number.ts';
import { api, withQuery } from '../../../lib/api-client.ts';

export type NumberParams = { period: string; level: string; currency: string };

export function getMakingTheNumber(p: NumberParams, signal?: AbortSignal): Promise<MakingTheNumberView> {
  return api.get<MakingTheNumberView>(withQuery('/api/scorecards/making-the-number', p), signal);
}

export function useMakingTheNumber(p: NumberParams) {
  return useQuery({ queryKey: ['scorecards', 'number', p], queryFn: ({ signal }) => getMakingTheNumber(p, signal), placeholderData: keepPreviousData });
}
