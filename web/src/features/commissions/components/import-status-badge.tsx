import { Badge } from '@mantine/core';

const colours: Record<string, string> = {
  validating: 'realign',
  committing: 'yellow',
  committed: 'green',
  rejected: 'orange',
  queued: 'gray',
  running: 'yellow',
  completed: 'green',
  failed: 'red',
};

/** The status of an import batch or a period run. */
export function ImportStatusBadge({ status }: { status: string }) {
  return (
    <Badge size="sm" variant="light" color={colours[status] ?? 'gray'}>
      {status.charAt(0).toUpperCase() + status.slice(1).replaceAll('_', ' ')}
    </Badge>
  );
}
