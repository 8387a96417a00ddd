import { Badge, Group } from '@mantine/core';
import type { Role } from '../../../../common/roles.ts';
import { isPartnerRole, roleLabels } from '../../../../common/roles.ts';

export function RoleBadges({ roles }: { roles: readonly Role[] }) {
  return (
    <Group gap={4}>
      {roles.map((r) => (
        <Badge key={r} size="sm" variant="light" color={isPartnerRole(r) ? 'portal' : 'realign'}>
          {roleLabels[r]}
        </Badge>
      ))}
    </Group>
  );
}
