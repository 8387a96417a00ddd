import { Button, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { CreateParticipantRequest, ParticipantView } from '../../../../../common/api/comp-plans.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { fieldErrors } from '../field-errors.ts';
import { ParticipantPicker } from './participant-picker.tsx';

export type ParticipantFormValues = Required<Omit<CreateParticipantRequest, 'appUserId'>>;

const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

interface Props {
  initial?: ParticipantView;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: ParticipantFormValues) => void;
  onCancel: () => void;
}

/** A participant's record: who they are in the HR or CRM system, whom they report to, where they sit, when they are active. */
export function ParticipantForm({ initial, submitLabel, pending, error, onSubmit, onCancel }: Props) {
  const [displayName, setDisplayName] = useState(initial?.displayName ?? '');
  const [externalRef, setExternalRef] = useState(initial?.externalRef ?? '');
  const [email, setEmail] = useState(initial?.email ?? '');
  const [managerId, setManagerId] = useState<string | null>(initial?.managerId ?? null);
  const [team, setTeam] = useState(initial?.team ?? '');
  const [unit, setUnit] = useState(initial?.unit ?? '');
  const [territory, setTerritory] = useState(initial?.territory ?? '');
  const [activeFrom, setActiveFrom] = useState(initial?.activeFrom ?? '');
  const [activeTo, setActiveTo] = useState(initial?.activeTo ?? '');
  const [touched, setTouched] = useState(false);
  const server = fieldErrors(error);

  const local = {
    displayName: displayName.trim() === '' ? 'Enter the name' : undefined,
    externalRef: externalRef.trim() === '' ? 'Enter the reference from the HR or CRM system' : undefined,
    activeTo: activeFrom && activeTo && activeTo <= activeFrom ? 'Must be after the first active day' : undefined,
  };
  const shown = (field: keyof typeof local) => (touched ? local[field] : undefined) ?? server[field];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (Object.values(local).some(Boolean)) return;
    onSubmit({
      displayName: displayName.trim(),
      externalRef: externalRef.trim(),
      email: orNull(email),
      managerId,
      team: orNull(team),
      unit: orNull(unit),
      territory: orNull(territory),
      activeFrom: orNull(activeFrom),
      activeTo: orNull(activeTo),
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={submitLabel}>
      <Stack gap="sm">
        <FormError error={error} />
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label="Name"
            required
            data-autofocus
            maxLength={200}
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            error={shown('displayName')}
          />
          <TextInput
            label="External reference"
            description="The person’s id in the HR or CRM system; unique"
            required
            maxLength={120}
            value={externalRef}
            onChange={(e) => setExternalRef(e.currentTarget.value)}
            error={shown('externalRef')}
          />
        </SimpleGrid>
        <TextInput label="E-mail" type="email" maxLength={320} value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={server.email} />
        <ParticipantPicker
          label="Manager"
          description="The participant this one reports to (roll-up credit and the manager’s approval follow it)"
          value={managerId}
          valueLabel={initial?.managerName ?? null}
          onChange={setManagerId}
          {...(initial ? { excludeId: initial.id } : {})}
          error={server.managerId}
        />
        <SimpleGrid cols={3} spacing="sm">
          <TextInput label="Team" maxLength={120} value={team} onChange={(e) => setTeam(e.currentTarget.value)} error={server.team} />
          <TextInput label="Unit" maxLength={120} value={unit} onChange={(e) => setUnit(e.currentTarget.value)} error={server.unit} />
          <TextInput label="Territory" maxLength={120} value={territory} onChange={(e) => setTerritory(e.currentTarget.value)} error={server.territory} />
        </SimpleGrid>
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label="Active from"
            description="Empty: since always"
            type="date"
            value={activeFrom}
            onChange={(e) => setActiveFrom(e.currentTarget.value)}
            error={server.activeFrom}
          />
          <TextInput
            label="Active until"
            description="The first day no longer active; empty: open-ended"
            type="date"
            value={activeTo}
            onChange={(e) => setActiveTo(e.currentTarget.value)}
            error={shown('activeTo')}
          />
        </SimpleGrid>
        <Group justify="flex-end" gap="xs" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
