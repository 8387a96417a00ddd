import { Badge } from '@mantine/core';

const colours: Record<string, string> = {
  active: 'green',
  prospect: 'realign',
  inactive: 'gray',
  suspended: 'red',
  disabled: 'gray',
  revoked: 'red',
  expired: 'orange',
};

function label(status: string): string {
  return status.charAt(0).toUpperCase() + status.slice(1).replaceAll('_', ' ');
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge size="sm" variant="light" color={colours[status] ?? 'gray'}>
      {label(status)}
    </Badge>
  );
}
