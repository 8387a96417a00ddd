import { Button, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { AccountDetail, AccountSegment } from '../../../../../common/api/accounts.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { segmentOptions, isSegment } from './account-labels.tsx';
import { fieldErrors } from './field-errors.ts';
import { ParentAccountSelect } from './parent-account-select.tsx';

export interface AccountFormValues {
  name: string;
  domain: string | null;
  country: string | null;
  taxId: string | null;
  industry: string | null;
  segment: AccountSegment | null;
  parentAccountId: string | null;
}

const orNull = (v: string) => (v.trim() === '' ? null : v.trim());
const countryPattern = /^[A-Z]{2}$/;

interface AccountFormProps {
  initial?: AccountDetail;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: AccountFormValues) => void;
  onCancel: () => void;
}

export function AccountForm({ initial, submitLabel, pending, error, onSubmit, onCancel }: AccountFormProps) {
  const [name, setName] = useState(initial?.name ?? '');
  const [domain, setDomain] = useState(initial?.domain ?? '');
  const [country, setCountry] = useState(initial?.country ?? '');
  const [taxId, setTaxId] = useState(initial?.taxId ?? '');
  const [industry, setIndustry] = useState(initial?.industry ?? '');
  const [segment, setSegment] = useState<AccountSegment | null>(initial?.segment ?? null);
  const [parentAccountId, setParentAccountId] = useState<string | null>(initial?.parentAccountId ?? null);
  const [touched, setTouched] = useState(false);
  const server = fieldErrors(error);

  const countryError = touched && country.trim() !== '' && !countryPattern.test(country.trim()) ? 'Two-letter ISO country code, e.g. DE' : server.country;
  const nameError = touched && !name.trim() ? 'Enter the account’s name' : server.name;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!name.trim()) return;
    if (country.trim() !== '' && !countryPattern.test(country.trim())) return;
    onSubmit({
      name: name.trim(),
      domain: orNull(domain),
      country: orNull(country),
      taxId: orNull(taxId),
      industry: orNull(industry),
      segment,
      parentAccountId,
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FormError error={error} />
        <TextInput label="Name" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameError} />
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="Domain" placeholder="example.com" value={domain} onChange={(e) => setDomain(e.currentTarget.value)} error={server.domain} />
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
          <Select
            label="Segment"
            placeholder="Not set"
            clearable
            data={segmentOptions}
            value={segment}
            onChange={(v) => setSegment(isSegment(v) ? v : null)}
            error={server.segment}
          />
          <TextInput label="Industry" value={industry} onChange={(e) => setIndustry(e.currentTarget.value)} error={server.industry} />
        </SimpleGrid>
        <TextInput label="Tax ID" value={taxId} onChange={(e) => setTaxId(e.currentTarget.value)} error={server.taxId} />
        <ParentAccountSelect
          value={parentAccountId}
          initialName={initial?.parentAccountName ?? null}
          excludeId={initial?.id}
          error={server.parentAccountId}
          onChange={setParentAccountId}
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
