import { Button, Group, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { parseMajorAmount } from '../../../../../../common/money.ts';
import { FormError } from '../../../../components/ui/form-error.tsx';
import { fieldErrors } from '../../../accounts/components/field-errors.ts';
import { PartnerSelect } from '../../../accounts/components/partner-select.tsx';
import {
  DealCurrencySelect,
  DealValueInput,
  EndCustomerFields,
  orNull,
  ScenarioSelect,
  type EndCustomer,
} from '../../registrations/components/deal-fields.tsx';
import type { PushOfferBody } from '../api/push-offer.ts';

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
  const [partnerId, setPartnerId] = useState<string | null>(null);
  const [scenario, setScenario] = useState<string | null>(null);
  const [customer, setCustomer] = useState<EndCustomer>({ name: '', domain: '', country: '' });
  const { name, domain, country } = customer;
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
        <ScenarioSelect value={scenario} onChange={setScenario} error={err('scenario')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <EndCustomerFields value={customer} onChange={setCustomer} err={err} />
          <Group grow gap="xs" align="flex-start">
            <DealValueInput value={value} onChange={setValue} currency={currency} error={err('valueMinor')} />
            <DealCurrencySelect value={currency} onChange={setCurrency} error={err('currency')} />
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
