import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { errorMessage, isApiError } from '../../lib/api-client.ts';

interface QueryErrorProps {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}

/** A failed load, with the server's explanation and its request id for support. */
export function QueryError({ error, onRetry, title = 'Could not load this' }: QueryErrorProps) {
  const requestId = isApiError(error) ? error.problem.requestId : undefined;
  return (
    <Alert color="red" variant="light" title={title} icon={<IconAlertTriangle size={18} aria-hidden />} role="alert">
      <Text fz="sm">{errorMessage(error)}</Text>
      {requestId && (
        <Text fz="xs" c="dimmed" mt={4}>
          Request id: <code>{requestId}</code>
        </Text>
      )}
      {onRetry && (
        <Group mt="xs">
          <Button size="xs" variant="default" onClick={onRetry}>
            Try again
          </Button>
        </Group>
      )}
    </Alert>
  );
}
