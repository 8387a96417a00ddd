import { queryOptions, useQuery } from '@tanstack/react-query';
import type { PlainRulesView } from '../../../../../../common/api/engagement-rules.ts';
import { api } from '../../../../lib/api-client.ts';

export function getPlainRules(id: string, signal?: AbortSignal): Promise<PlainRulesView> {
  return api.get<PlainRulesView>(`/api/rules/versions/${encodeURIComponent(id)}/plain`, signal);
}

export const plainRulesQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['rules', 'version', id, 'plain'], queryFn: ({ signal }) => getPlainRules(id, signal) });

export function usePlainRules(id: string | null) {
  return useQuery({ ...plainRulesQueryOptions(id ?? ''), enabled: id !== null });
}
