import { Button, Group, Radio, Select, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { OwnershipKind } from '../../../../../common/api/accounts.ts';
import { isIsoDate } from '../../../../../common/dates.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { useCurrentSession } from '../../identity/api/get-session.ts';
import { useUsers } from '../../identity/api/list-users.ts';
import { partnerUsersQueryOptions } from '../../partners/api/list-partner-users.ts';
import type { SetAccountOwnershipInput } from '../api/set-account-ownership.ts';
import { ownershipKindLabels } from './account-labels.tsx';
import { fieldErrors } from './field-errors.ts';
import { PartnerSelect } from './partner-select.tsx';

/** Today in the browser's time zone, YYYY-MM-DD. */
function localToday(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const kindDescriptions: Record<OwnershipKind, string> = {
  direct: 'The vendor’s own sellers',
  channel: 'A partner owns the customer',
  shared: 'A partner together with a direct seller',
};

interface OwnershipFormProps {
  /** The day the current period started: a new one must start after it. */
  currentStartsOn: string | null;
  pending: boolean;
  error: unknown;
  onSubmit: (values: SetAccountOwnershipInput) => void;
  onCancel: () => void;
}

export function OwnershipForm({ currentStartsOn, pending, error, onSubmit, onCancel }: OwnershipFormProps) {
  const { user } = useCurrentSession();
  const [kind, setKind] = useState<OwnershipKind>('direct');
  const [partnerId, setPartnerId] = useState<string | null>(null);
  const [ownerUserId, setOwnerUserId] = useState<string | null>(null);
  const [startsOn, setStartsOn] = useState(localToday());
  const [touched, setTouched] = useState(false);
  const server = fieldErrors(error);
  const needsPartner = kind !== 'direct';

  // Who can own it: the signed-in user, the chosen partner's users, and (for administrators,
  // who may list users) the vendor's staff.
  const partnerUsers = useQuery({ ...partnerUsersQueryOptions(partnerId ?? ''), enabled: needsPartner && partnerId !== null });
  const isAdmin = user.roles.includes('admin');
  const staff = useUsers({ limit: 200, offset: 0 }, { enabled: isAdmin });
  const ownerOptions: { group: string; items: { value: string; label: string }[] }[] = [];
  const staffItems = new Map<string, string>([[user.id, `${user.displayName} (you)`]]);
  for (const u of staff.data?.items ?? [])
    if (u.partnerId === null && u.status === 'active') staffItems.set(u.id, u.id === user.id ? `${u.displayName} (you)` : u.displayName);
  ownerOptions.push({ group: 'Vendor staff', items: [...staffItems].map(([value, label]) => ({ value, label })) });
  if (needsPartner && partnerId !== null && partnerUsers.data) {
    const items = partnerUsers.data.items.filter((u) => u.status === 'active').map((u) => ({ value: u.id, label: u.displayName }));
    if (items.length > 0) ownerOptions.push({ group: 'Partner users', items });
  }
  const ownerKnown = ownerUserId === null || ownerOptions.some((g) => g.items.some((i) => i.value === ownerUserId));

  const partnerError = touched && needsPartner && partnerId === null ? `${ownershipKindLabels[kind]} ownership needs a partner` : server.partnerId;
  const startsOnError = (() => {
    if (touched && !isIsoDate(startsOn)) return 'Enter a date';
    if (touched && currentStartsOn && startsOn <= currentStartsOn) return 'Must be after the day the current ownership started';
    return server.startsOn;
  })();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (needsPartner && partnerId === null) return;
    if (!isIsoDate(startsOn) || (currentStartsOn && startsOn <= currentStartsOn)) return;
    onSubmit({ kind, partnerId: needsPartner ? partnerId : null, ownerUserId: ownerKnown ? ownerUserId : null, startsOn });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FormError error={error} />
        <Radio.Group
          label="Ownership"
          required
          value={kind}
          onChange={(next) => {
            setKind(next);
            if (next === 'direct') setPartnerId(null);
          }}
          error={server.kind}
        >
          <Stack gap={6} mt={4}>
            {(Object.keys(ownershipKindLabels) as OwnershipKind[]).map((k) => (
              <Radio key={k} value={k} label={ownershipKindLabels[k]} description={kindDescriptions[k]} />
            ))}
          </Stack>
        </Radio.Group>
        {needsPartner && (
          <PartnerSelect
            value={partnerId}
            required
            error={partnerError}
            onChange={(id) => {
              setPartnerId(id);
              setOwnerUserId(null);
            }}
          />
        )}
        <Select
          label="Owner"
          description="Optional: the person accountable for the customer"
          placeholder="Nobody in particular"
          searchable
          clearable
          data={ownerOptions}
          value={ownerKnown ? ownerUserId : null}
          onChange={setOwnerUserId}
          error={server.ownerUserId}
        />
        <TextInput
          label="Starts on"
          description={currentStartsOn ? 'The new owner takes over on this day; the current ownership ends the same day.' : 'The first day of this ownership.'}
          type="date"
          required
          min={currentStartsOn ?? undefined}
          value={startsOn}
          onChange={(e) => setStartsOn(e.currentTarget.value)}
          error={startsOnError}
        />
        <Group justify="flex-end" gap="xs" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            Change ownership
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
