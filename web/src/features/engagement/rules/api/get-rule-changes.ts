import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RuleChangesView } from '../../../../../../common/api/engagement-rules.ts';
import { api, withQuery } from '../../../../lib/api-client.ts';

export function getRuleChanges(id: string, from: string | null, signal?: AbortSignal): Promise<RuleChangesView> {
  return api.get<RuleChangesView>(withQuery(`/api/rules/versions/${encodeURIComponent(id)}/changes`, { from }), signal);
}

export const ruleChangesQueryOptions = (id: string, from: string | null) =>
  queryOptions({ queryKey: ['rules', 'version', id, 'changes', from], queryFn: ({ signal }) => getRuleChanges(id, from, signal) });

export function useRuleChanges(id: string | null, from: string | null) {
  return useQuery({ ...ruleChangesQueryOptions(id ?? '', from), enabled: id !== null });
}
