import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AssignDisputeRequest,
  CommentDisputeRequest,
  DisputeAssignee,
  DisputeDetail,
  DisputeList,
  DisputeStatus,
  LinkDisputeRequest,
  OpenDisputeRequest,
  RejectDisputeRequest,
  ResolveDisputeRequest,
  TransitionDisputeRequest,
} from '../../../../../common/api/commissions-disputes.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { commissionKeys, commissionPaths } from './paths.ts';

/** The dispute API (server/modules/commissions/disputes.routes.ts): the list, one case, and its actions. */

export type DisputeListQuery = { status?: DisputeStatus | undefined; scope: 'all' | 'mine' | 'assigned'; limit: number; offset: number };

export function listDisputes(query: DisputeListQuery, signal?: AbortSignal): Promise<DisputeList> {
  return api.get<DisputeList>(withQuery(commissionPaths.disputes, query), signal);
}

export function useDisputes(query: DisputeListQuery) {
  return useQuery({ queryKey: commissionKeys.disputeList(query), queryFn: ({ signal }) => listDisputes(query, signal), placeholderData: keepPreviousData });
}

export function getDispute(id: string, signal?: AbortSignal): Promise<DisputeDetail> {
  return api.get<DisputeDetail>(commissionPaths.dispute(id), signal);
}

export function useDispute(id: string) {
  return useQuery({ queryKey: commissionKeys.dispute(id), queryFn: ({ signal }) => getDispute(id, signal), retry: false });
}

export function useDisputeAssignees(enabled: boolean) {
  return useQuery({
    queryKey: commissionKeys.disputeAssignees(),
    queryFn: ({ signal }) => api.get<{ items: DisputeAssignee[] }>(commissionPaths.disputeAssignees, signal),
    enabled,
    staleTime: 60_000,
  });
}

export function useOpenDispute() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: OpenDisputeRequest) => api.post<DisputeDetail>(commissionPaths.disputes, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: commissionKeys.disputes() }),
  });
}

/** One action on a case; every action answers the updated case, which replaces the cached one. */
export type DisputeActionInput =
  | { action: 'assign'; body: AssignDisputeRequest }
  | { action: 'comments'; body: CommentDisputeRequest }
  | { action: 'link'; body: LinkDisputeRequest }
  | { action: 'transition'; body: TransitionDisputeRequest }
  | { action: 'resolve'; body: ResolveDisputeRequest }
  | { action: 'reject'; body: RejectDisputeRequest };

export function useDisputeAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: DisputeActionInput) => api.post<DisputeDetail>(`${commissionPaths.dispute(id)}/${input.action}`, input.body),
    onSuccess: (detail) => {
      queryClient.setQueryData(commissionKeys.dispute(id), detail);
      void queryClient.invalidateQueries({ queryKey: commissionKeys.disputes() });
    },
  });
}
