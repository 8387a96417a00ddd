import { useMutation } from '@tanstack/react-query';
import type { z } from 'zod';
import type { auditVerifyResult } from '../../../../../common/api/audit.ts';
import { api } from '../../../lib/api-client.ts';

export type AuditVerifyResult = z.infer<typeof auditVerifyResult>;

export function verifyAuditChain(): Promise<AuditVerifyResult> {
  return api.get<AuditVerifyResult>('/api/audit/verify');
}

/** A mutation, not a query: verification walks the whole chain and runs only when asked. */
export function useVerifyAuditChain() {
  return useMutation({ mutationFn: verifyAuditChain });
}
