import { Alert, Button, Stack, Text } from '@mantine/core';
import { IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { errorMessage } from '../../../lib/api-client.ts';
import { formatInteger } from '../../../lib/format.ts';
import { useVerifyAuditChain } from '../api/verify-audit-chain.ts';

/** The verification result, shown under the page header; the button and the result share one mutation. */
export function useVerifyChain() {
  const verify = useVerifyAuditChain();
  const button = (
    <Button variant="default" leftSection={<IconShieldCheck size={16} aria-hidden />} loading={verify.isPending} onClick={() => verify.mutate()}>
      Verify chain
    </Button>
  );
  let result = null;
  if (verify.isError) {
    result = (
      <Alert color="red" variant="light" title="Verification failed to run" role="alert">
        {errorMessage(verify.error)}
      </Alert>
    );
  } else if (verify.data) {
    const r = verify.data;
    result = r.ok ? (
      <Alert color="green" variant="light" icon={<IconShieldCheck size={18} aria-hidden />} title="Chain intact" role="status">
        <Text fz="sm">All {formatInteger(r.entries)} entries verified: every hash matches its content and its predecessor.</Text>
      </Alert>
    ) : (
      <Alert color="red" variant="light" icon={<IconShieldX size={18} aria-hidden />} title="Chain broken" role="alert">
        <Stack gap={2}>
          <Text fz="sm">
            Checked {formatInteger(r.entries)} entries.
            {r.firstBrokenSeq !== null && ` The first broken entry is #${r.firstBrokenSeq}.`}
          </Text>
          {r.problem && <Text fz="sm">{r.problem}</Text>}
        </Stack>
      </Alert>
    );
  }
  return { button, result };
}
