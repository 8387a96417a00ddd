import { Button, Checkbox, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { PartnerContactView } from '../../../../../common/api/partners.ts';
import { FormError } from '../../../components/ui/form-error.tsx';

export interface ContactFormValues {
  name: string;
  title: string | null;
  email: string | null;
  phone: string | null;
  isExecutive: boolean;
}

const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

interface ContactFormProps {
  initial?: PartnerContactView;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: ContactFormValues) => void;
  onCancel: () => void;
}

export function ContactForm({ initial, submitLabel, pending, error, onSubmit, onCancel }: ContactFormProps) {
  const [name, setName] = useState(initial?.name ?? '');
  const [title, setTitle] = useState(initial?.title ?? '');
  const [email, setEmail] = useState(initial?.email ?? '');
  const [phone, setPhone] = useState(initial?.phone ?? '');
  const [isExecutive, setIsExecutive] = useState(initial?.isExecutive ?? false);
  const [touched, setTouched] = useState(false);
  const emailError = touched && email.trim() !== '' && !/^[^\s@]+@[^\s@]+$/.test(email.trim()) ? 'Not an e-mail address' : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!name.trim() || (email.trim() !== '' && !/^[^\s@]+@[^\s@]+$/.test(email.trim()))) return;
    onSubmit({ name: name.trim(), title: orNull(title), email: orNull(email), phone: orNull(phone), isExecutive });
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
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={touched && !name.trim() ? 'Enter the contact’s name' : undefined}
          />
          <TextInput label="Job title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        </SimpleGrid>
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="E-mail" type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={emailError} />
          <TextInput label="Phone" type="tel" value={phone} onChange={(e) => setPhone(e.currentTarget.value)} />
        </SimpleGrid>
        <Checkbox
          label="Partner executive"
          description="Executives can sit on the oversight committee and receive executive communications."
          checked={isExecutive}
          onChange={(e) => setIsExecutive(e.currentTarget.checked)}
        />
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
