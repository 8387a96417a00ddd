import { Button, Group, NumberInput, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { minorUnitDigits, parseMajorAmount } from '../../../../../../common/money.ts';
import { FormError } from '../../../../components/ui/form-error.tsx';
import { fieldErrors } from '../../../accounts/components/field-errors.ts';
import { PartnerSelect } from '../../../accounts/components/partner-select.tsx';
import { useScenarios } from '../../scenarios/api/list-scenarios.ts';
import type { PushOfferBody } from '../api/push-offer.ts';

const currencies = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'JPY'];
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

interface Props {
  pending: boolean;
  error: unknown;
  /** The first day a partner may be asked to answer by (today, in the browser's calendar). */
  today: string;
  onSubmit: (body: PushOfferBody) => void;
  onCancel: () => void;
}

/** A channel manager offers an opportunity to one partner; the partner accepts or declines in the deal inbox. */
export function PushOfferForm({ pending, error, today, onSubmit, onCancel }: Props) {
  const scenarios = useScenarios();
  const [partnerId, setPartnerId] = useState<string | null>(null);
  const [scenario, setScenario] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [domain, setDomain] = useState('');
  const [country, setCountry] = useState('');
  const [value, setValue] = useState<string | number>('');
  const [currency, setCurrency] = useState<string | null>('EUR');
  const [closeOn, setCloseOn] = useState('');
  const [respondBy, setRespondBy] = useState('');
  const [description, setDescription] = useState('');
  const [touched, setTouched] = useState(false);
  const server = fieldErrors(error);

  const local: Record<string, string | undefined> = touched
    ? {
        partnerId: partnerId ? undefined : 'Choose the partner',
        scenario: scenario ? undefined : 'Choose the scenario',
        endCustomerName: name.trim() ? undefined : 'Enter the end customer’s name',
        valueMinor: value === '' ? 'Enter the expected value' : undefined,
        respondBy: respondBy ? undefined : 'Choose the day the partner answers by',
      }
    : {};
  const err = (field: string) => local[field] ?? server[field];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!partnerId || !scenario || !name.trim() || value === '' || !currency || !respondBy) return;
    let valueMinor: number;
    try {
      valueMinor = parseMajorAmount(String(value), currency);
    } catch {
      return;
    }
    onSubmit({
      partnerId,
      scenario,
      endCustomerName: name.trim(),
      endCustomerDomain: orNull(domain),
      endCustomerCountry: orNull(country.toUpperCase()),
      valueMinor,
      currency,
      expectedCloseOn: orNull(closeOn),
      respondBy,
      description: orNull(description),
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Push an offer">
      <Stack gap="sm">
        <FormError error={error} />
        <PartnerSelect value={partnerId} onChange={setPartnerId} required error={err('partnerId')} />
        <Select
          label="Scenario"
          required
          placeholder={scenarios.isPending ? 'Loading scenarios…' : 'Choose a scenario'}
          data={(scenarios.data?.items ?? []).map((s) => ({ value: s.key, label: s.name }))}
          value={scenario}
          onChange={setScenario}
          error={err('scenario')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label="End customer" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={err('endCustomerName')} />
          <TextInput
            label="Customer web domain"
            placeholder="example.com"
            value={domain}
            onChange={(e) => setDomain(e.currentTarget.value)}
            error={err('endCustomerDomain')}
          />
          <TextInput
            label="Customer country"
            placeholder="DE"
            maxLength={2}
            value={country}
            onChange={(e) => setCountry(e.currentTarget.value)}
            error={err('endCustomerCountry')}
          />
          <Group grow gap="xs" align="flex-start">
            <NumberInput
              label="Expected value"
              required
              min={0}
              decimalScale={currency ? minorUnitDigits(currency) : 2}
              thousandSeparator=","
              value={value}
              onChange={setValue}
              error={err('valueMinor')}
            />
            <Select label="Currency" required data={currencies} value={currency} onChange={setCurrency} error={err('currency')} allowDeselect={false} />
          </Group>
          <TextInput
            label="Expected close date"
            type="date"
            value={closeOn}
            onChange={(e) => setCloseOn(e.currentTarget.value)}
            error={err('expectedCloseOn')}
          />
          <TextInput
            label="Respond by"
            type="date"
            required
            min={today}
            value={respondBy}
            onChange={(e) => setRespondBy(e.currentTarget.value)}
            error={err('respondBy')}
            description="The offer expires after this day"
          />
        </SimpleGrid>
        <Textarea
          label="Description"
          autosize
          minRows={2}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={err('description')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            Push offer
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
