import { Alert, List, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { isApiError } from '../../lib/api-client.ts';

/** The problem returned by a failed form submission, with the field issues listed. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  const detail = isApiError(error) ? error.problem.detail || error.problem.title : String((error as Error).message ?? error);
  const issues = isApiError(error) ? (error.problem.issues ?? []) : [];
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={18} aria-hidden />} role="alert" py="xs">
      <Text fz="sm">{detail}</Text>
      {issues.length > 0 && (
        <List size="sm" mt={4}>
          {issues.map((i) => (
            <List.Item key={`${i.path}:${i.message}`}>
              <strong>{i.path.replace(/^body\./, '')}</strong>: {i.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
