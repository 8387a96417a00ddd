import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RuleSetVersionSummary } from '../../../../../../common/api/engagement-rules.ts';
import { api } from '../../../../lib/api-client.ts';

export function listRuleVersions(signal?: AbortSignal): Promise<{ items: RuleSetVersionSummary[] }> {
  return api.get<{ items: RuleSetVersionSummary[] }>('/api/rules/versions', signal);
}

export const ruleVersionsQueryOptions = () => queryOptions({ queryKey: ['rules', 'versions'], queryFn: ({ signal }) => listRuleVersions(signal) });

export function useRuleVersions() {
  return useQuery(ruleVersionsQueryOptions());
}
