import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RuleSetVersionView } from '../../../../../../common/api/engagement-rules.ts';
import { api } from '../../../../lib/api-client.ts';

export function getRuleVersion(id: string, signal?: AbortSignal): Promise<RuleSetVersionView> {
  return api.get<RuleSetVersionView>(`/api/rules/versions/${encodeURIComponent(id)}`, signal);
}

export const ruleVersionQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['rules', 'version', id], queryFn: ({ signal }) => getRuleVersion(id, signal) });

export function useRuleVersion(id: string | null) {
  return useQuery({ ...ruleVersionQueryOptions(id ?? ''), enabled: id !== null });
}
