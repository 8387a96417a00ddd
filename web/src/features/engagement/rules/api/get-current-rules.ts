import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RuleSetVersionView } from '../../../../../../common/api/engagement-rules.ts';
import { api } from '../../../../lib/api-client.ts';

export function getCurrentRules(signal?: AbortSignal): Promise<{ version: RuleSetVersionView | null }> {
  return api.get<{ version: RuleSetVersionView | null }>('/api/rules/current', signal);
}

export const currentRulesQueryOptions = () => queryOptions({ queryKey: ['rules', 'current'], queryFn: ({ signal }) => getCurrentRules(signal) });

export function useCurrentRules() {
  return useQuery(currentRulesQueryOptions());
}
