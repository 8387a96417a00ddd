import { Button, Group, Select, SimpleGrid, Stack, TagsInput, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { PartnerView } from '../../../../../common/api/partners.ts';
import { FormError } from '../../../components/ui/form-error.tsx';

export interface PartnerFormValues {
  name: string;
  legalName: string | null;
  tier: string;
  status: PartnerView['status'];
  website: string | null;
  country: string | null;
  regions: string[];
  specialisations: string[];
}

const statusOptions = [
  { value: 'prospect', label: 'Prospect' },
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Inactive' },
  { value: 'suspended', label: 'Suspended' },
];

const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

interface PartnerFormProps {
  initial?: PartnerView;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: PartnerFormValues) => void;
  onCancel: () => void;
}

export function PartnerForm({ initial, submitLabel, pending, error, onSubmit, onCancel }: PartnerFormProps) {
  const [name, setName] = useState(initial?.name ?? '');
  const [legalName, setLegalName] = useState(initial?.legalName ?? '');
  const [tier, setTier] = useState(initial?.tier ?? 'registered');
  const [status, setStatus] = useState<PartnerView['status']>(initial?.status ?? 'active');
  const [website, setWebsite] = useState(initial?.website ?? '');
  const [country, setCountry] = useState(initial?.country ?? '');
  const [regions, setRegions] = useState<string[]>(initial?.regions ?? []);
  const [specialisations, setSpecialisations] = useState<string[]>(initial?.specialisations ?? []);
  const [touched, setTouched] = useState(false);

  const countryError = touched && country.trim() !== '' && !/^[A-Z]{2}$/.test(country.trim()) ? 'Two-letter ISO country code, e.g. DE' : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!name.trim() || !tier.trim() || countryError) return;
    if (country.trim() !== '' && !/^[A-Z]{2}$/.test(country.trim())) return;
    onSubmit({
      name: name.trim(),
      legalName: orNull(legalName),
      tier: tier.trim(),
      status,
      website: orNull(website),
      country: orNull(country),
      regions,
      specialisations,
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FormError error={error} />
        <TextInput
          label="Name"
          required
          data-autofocus
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={touched && !name.trim() ? 'Enter the partner’s name' : undefined}
        />
        <TextInput label="Legal name" value={legalName} onChange={(e) => setLegalName(e.currentTarget.value)} />
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label="Tier"
            required
            value={tier}
            onChange={(e) => setTier(e.currentTarget.value)}
            error={touched && !tier.trim() ? 'Enter a tier' : undefined}
          />
          <Select
            label="Status"
            required
            data={statusOptions}
            value={status}
            allowDeselect={false}
            onChange={(v) => v && setStatus(v as PartnerView['status'])}
          />
        </SimpleGrid>
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="Website" type="url" placeholder="https://" value={website} onChange={(e) => setWebsite(e.currentTarget.value)} />
          <TextInput
            label="Country"
            description="ISO code, e.g. DE"
            maxLength={2}
            value={country}
            onChange={(e) => setCountry(e.currentTarget.value.toUpperCase())}
            error={countryError}
          />
        </SimpleGrid>
        <SimpleGrid cols={2} spacing="sm">
          <TagsInput label="Regions" description="Press Enter after each" maxTags={20} value={regions} onChange={setRegions} />
          <TagsInput label="Specialisations" description="Press Enter after each" maxTags={20} value={specialisations} onChange={setSpecialisations} />
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
