import { Alert, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCircleCheck } from '@tabler/icons-react';
import type { RuleSetVersionSummary } from '../../../../../../common/api/engagement-rules.ts';
import { FormError } from '../../../../components/ui/form-error.tsx';
import { formatDate, formatDateTime } from '../../../../lib/format.ts';
import { useAcknowledgeRules } from '../api/acknowledge-rules.ts';

/** "I have read and accept" for the version in force, or when the signed-in user already did. */
export function AcknowledgeButton({ version }: { version: RuleSetVersionSummary }) {
  const acknowledge = useAcknowledgeRules();
  if (version.status !== 'published') return null;
  if (version.myAcknowledgedAt) {
    return (
      <Alert color="green" variant="light" icon={<IconCircleCheck size={18} aria-hidden />} role="status" py="xs">
        <Text fz="sm">
          You accepted version {version.version} on {formatDateTime(version.myAcknowledgedAt)}.
        </Text>
      </Alert>
    );
  }
  return (
    <Group gap="sm" align="center">
      <Button
        leftSection={<IconCircleCheck size={16} aria-hidden />}
        loading={acknowledge.isPending}
        onClick={() =>
          acknowledge.mutate(version.id, {
            onSuccess: () => notifications.show({ color: 'green', message: `Thank you: version ${version.version} accepted.` }),
          })
        }
      >
        I have read and accept
      </Button>
      {version.acknowledgeBy && (
        <Text fz="sm" c="dimmed">
          Please accept by {formatDate(version.acknowledgeBy)}.
        </Text>
      )}
      <FormError error={acknowledge.error} />
    </Group>
  );
}
