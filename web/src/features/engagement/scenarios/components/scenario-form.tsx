import { Button, Checkbox, Group, NumberInput, Stack, TextInput, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { ScenarioView } from '../../../../../../common/api/engagement-scenarios.ts';
import { FormError } from '../../../../components/ui/form-error.tsx';

export type ScenarioFormValues = { key: string; name: string; description: string; isRenewal: boolean; sortOrder: number };

const keyPattern = /^[a-z][a-z0-9_]{0,59}$/;

export function ScenarioForm({
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial?: ScenarioView;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: ScenarioFormValues) => void;
  onCancel: () => void;
}) {
  const [key, setKey] = useState(initial?.key ?? '');
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [isRenewal, setIsRenewal] = useState(initial?.isRenewal ?? false);
  const [sortOrder, setSortOrder] = useState<number>(initial?.sortOrder ?? 100);
  const [touched, setTouched] = useState(false);
  const keyError = touched && !keyPattern.test(key.trim()) ? 'Lower-case letters, digits and underscores, starting with a letter' : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!keyPattern.test(key.trim()) || !name.trim()) return;
    onSubmit({ key: key.trim(), name: name.trim(), description: description.trim(), isRenewal, sortOrder });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FormError error={error} />
        <TextInput
          label="Key"
          description={
            initial?.inUse ? 'Registrations use this scenario: its key is fixed.' : 'Used by the rules of the road and the API, e.g. managed_service'
          }
          required
          data-autofocus
          disabled={initial?.inUse}
          value={key}
          onChange={(e) => setKey(e.currentTarget.value)}
          error={keyError}
        />
        <TextInput
          label="Name"
          required
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={touched && !name.trim() ? 'Enter a name' : undefined}
        />
        <Textarea label="Description" autosize minRows={2} maxLength={2000} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
        <Group grow>
          <NumberInput label="Sort order" min={0} max={100_000} value={sortOrder} onChange={(v) => setSortOrder(typeof v === 'number' ? v : 0)} />
          <Checkbox label="A renewal of an existing contract" checked={isRenewal} onChange={(e) => setIsRenewal(e.currentTarget.checked)} mt="lg" />
        </Group>
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
