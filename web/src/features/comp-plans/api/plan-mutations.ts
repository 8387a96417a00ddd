import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  ApproveRequest,
  CreatePlanRequest,
  CreateVersionRequest,
  PlanVersionView,
  RejectRequest,
  SaveDraftRequest,
} from '../../../../../common/api/comp-plans.ts';
import { api, apiRequest } from '../../../lib/api-client.ts';
import { compKeys, compPaths } from './paths.ts';

/** Every change to a version refreshes the version, its plan, the plan list and the diffs. */
function useVersionMutation<I>(fn: (input: I) => Promise<PlanVersionView>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (v) => {
      queryClient.setQueryData(compKeys.version(v.id), v);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: compKeys.plan(v.planId) }),
        queryClient.invalidateQueries({ queryKey: compKeys.plans() }),
        queryClient.invalidateQueries({ queryKey: [...compKeys.version(v.id), 'diff'] }),
      ]);
    },
  });
}

export function useCreatePlan() {
  return useVersionMutation((input: CreatePlanRequest) => api.post<PlanVersionView>(compPaths.plans, input));
}

export function useCreatePlanVersion(planId: string) {
  return useVersionMutation((input: CreateVersionRequest) => api.post<PlanVersionView>(compPaths.planVersions(planId), input));
}

export function useSaveDraft(id: string) {
  return useVersionMutation((input: SaveDraftRequest) => apiRequest<PlanVersionView>(compPaths.version(id), { method: 'PUT', body: input }));
}

export function useSubmitVersion() {
  return useVersionMutation((id: string) => api.post<PlanVersionView>(compPaths.versionAction(id, 'submit')));
}

export function useWithdrawVersion() {
  return useVersionMutation((id: string) => api.post<PlanVersionView>(compPaths.versionAction(id, 'withdraw')));
}

export function useApproveStep() {
  return useVersionMutation(({ id, ...body }: ApproveRequest & { id: string }) => api.post<PlanVersionView>(compPaths.versionAction(id, 'approve'), body));
}

export function useRejectStep() {
  return useVersionMutation(({ id, ...body }: RejectRequest & { id: string }) => api.post<PlanVersionView>(compPaths.versionAction(id, 'reject'), body));
}

export function usePublishVersion() {
  return useVersionMutation((id: string) => api.post<PlanVersionView>(compPaths.versionAction(id, 'publish')));
}
