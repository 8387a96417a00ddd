import { Button, Checkbox, Group, MultiSelect, PasswordInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import type { CreateUserRequest } from '../../../../../common/api/identity.ts';
import type { Role } from '../../../../../common/roles.ts';
import { internalRoles, partnerRoles, roleLabels } from '../../../../../common/roles.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { fieldErrors } from '../../accounts/components/field-errors.ts';
import { usePartners } from '../../partners/api/list-partners.ts';

const roleOptions = [
  { group: 'Vendor (internal)', items: internalRoles.map((r) => ({ value: r, label: roleLabels[r] })) },
  { group: 'Partner (external)', items: partnerRoles.map((r) => ({ value: r, label: roleLabels[r] })) },
];

const minPassword = 12;

interface CreateUserFormProps {
  pending: boolean;
  error: unknown;
  onSubmit: (input: CreateUserRequest) => void;
  onCancel: () => void;
  /** Creates users of this partner only (a partner admin adding colleagues): partner roles, no partner choice. */
  fixedPartnerId?: string;
}

export function CreateUserForm({ pending, error, onSubmit, onCancel, fixedPartnerId }: CreateUserFormProps) {
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [partnerId, setPartnerId] = useState<string | null>(null);
  const [partnerSearch, setPartnerSearch] = useState('');
  const [q] = useDebouncedValue(partnerSearch.trim(), 250);
  const [touched, setTouched] = useState(false);
  const partners = usePartners({ q: q || undefined, limit: 20, offset: 0 }, { enabled: !fixedPartnerId });
  const server = fieldErrors(error);

  const partnerRoleChosen = roles.some((r) => (partnerRoles as readonly string[]).includes(r));
  const internalRoleChosen = roles.some((r) => (internalRoles as readonly string[]).includes(r));
  const mixed = partnerRoleChosen && internalRoleChosen;
  const partnerMissing = partnerRoleChosen && !partnerId && !fixedPartnerId;

  const partnerOptions = (partners.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!displayName.trim() || !email.trim() || password.length < minPassword || roles.length === 0) return;
    if (mixed || partnerMissing) return;
    onSubmit({
      displayName: displayName.trim(),
      email: email.trim(),
      password,
      roles,
      partnerId: fixedPartnerId ?? (partnerRoleChosen ? partnerId : null),
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FormError error={error} />
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label="Name"
            required
            data-autofocus
            autoComplete="off"
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            error={touched && !displayName.trim() ? 'Enter a name' : server.displayName}
          />
          <TextInput
            label="E-mail"
            type="email"
            required
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={touched && !email.trim() ? 'Enter an e-mail address' : server.email}
          />
        </SimpleGrid>
        <PasswordInput
          label="Initial password"
          required
          autoComplete="new-password"
          description={`At least ${minPassword} characters. Share it with the person securely.`}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={touched && password.length < minPassword ? `Must be at least ${minPassword} characters` : server.password}
        />
        {fixedPartnerId ? (
          <Checkbox.Group
            label="Roles"
            required
            description="Partner administrators also manage the organisation's profile, contacts and users."
            value={roles}
            onChange={(v) => setRoles(v)}
            error={touched && roles.length === 0 ? 'Choose at least one role' : server.roles}
          >
            <Group gap="lg" mt={6}>
              {partnerRoles.map((r) => (
                <Checkbox key={r} value={r} label={roleLabels[r]} />
              ))}
            </Group>
          </Checkbox.Group>
        ) : (
          <MultiSelect
            label="Roles"
            required
            data={roleOptions}
            value={roles}
            onChange={(v) => setRoles(v)}
            searchable
            clearable
            description="Vendor roles for staff; partner roles link the user to a partner organisation."
            placeholder={roles.length === 0 ? 'Choose one or more roles' : undefined}
            error={touched && roles.length === 0 ? 'Choose at least one role' : mixed ? 'A user is either internal or a partner user, not both' : server.roles}
          />
        )}
        {partnerRoleChosen && !fixedPartnerId && (
          <Select
            label="Partner organisation"
            required
            searchable
            clearable
            data={partnerOptions}
            value={partnerId}
            onChange={setPartnerId}
            searchValue={partnerSearch}
            onSearchChange={setPartnerSearch}
            filter={({ options }) => options}
            nothingFoundMessage={partners.isFetching ? 'Searching…' : 'No partner found'}
            placeholder="Search partners"
            error={touched && partnerMissing ? 'Partner users must belong to a partner organisation' : server.partnerId}
          />
        )}
        <Group justify="flex-end" gap="xs" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            Create user
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
