import { Button, Group, Modal, MultiSelect, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import type { UserView } from '../../../../../common/api/identity.ts';
import type { Role } from '../../../../../common/roles.ts';
import { internalRoles, isPartnerRole, partnerRoles, roleLabels } from '../../../../../common/roles.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { fieldErrors } from '../../accounts/components/field-errors.ts';
import { useUpdateUser } from '../api/update-user.ts';

export function EditUserModal({ user, onClose }: { user: UserView; onClose: () => void }) {
  const update = useUpdateUser();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [status, setStatus] = useState(user.status);
  const server = fieldErrors(update.error);
  const partnerUser = user.roles.some(isPartnerRole);
  // A user stays on their side: partner users keep partner roles, internal users internal ones.
  const allowed = partnerUser ? partnerRoles : internalRoles;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!displayName.trim() || roles.length === 0) return;
    update.mutate(
      { id: user.id, input: { displayName: displayName.trim(), roles, status } },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `${displayName.trim()} saved.` });
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={`Edit ${user.displayName}`} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormError error={update.error} />
          <Text fz="sm" c="dimmed">
            {user.email}
            {user.partnerName ? ` · ${user.partnerName}` : ''}
          </Text>
          <TextInput
            label="Name"
            required
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            error={!displayName.trim() ? 'Enter a name' : server.displayName}
          />
          <MultiSelect
            label="Roles"
            required
            data={allowed.map((r) => ({ value: r, label: roleLabels[r] }))}
            value={roles}
            onChange={(v) => setRoles(v)}
            error={roles.length === 0 ? 'Choose at least one role' : server.roles}
          />
          <Stack gap={4}>
            <Text fz="sm" fw={500} id="user-status-label">
              Status
            </Text>
            <SegmentedControl
              aria-labelledby="user-status-label"
              value={status}
              onChange={(v) => setStatus(v)}
              data={[
                { value: 'active', label: 'Active' },
                { value: 'disabled', label: 'Disabled' },
              ]}
              w="fit-content"
            />
          </Stack>
          <Group justify="flex-end" gap="xs" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save changes
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
