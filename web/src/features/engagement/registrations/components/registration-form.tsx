import { Button, Group, Paper, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { parseMajorAmount } from '../../../../../../common/money.ts';
import { FormError } from '../../../../components/ui/form-error.tsx';
import { isApiError } from '../../../../lib/api-client.ts';
import type { CreateRegistrationBody } from '../api/create-registration.ts';
import { DealCurrencySelect, DealValueInput, EndCustomerFields, orNull, ScenarioSelect, type EndCustomer } from './deal-fields.tsx';

/** The server's field issues by field name ("body.endCustomerDomain" -> "endCustomerDomain"). */
function fieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const out: Record<string, string> = {};
  for (const i of error.problem.issues ?? []) {
    const field = i.path.replace(/^(body|registration)\./, '');
    out[field] = out[field] ? `${out[field]}; ${i.message}` : i.message;
  }
  return out;
}

interface Props {
  pending: boolean;
  error: unknown;
  onSubmit: (body: CreateRegistrationBody) => void;
}

/** The partner's "Register a deal" form: every scenario, the end customer, the value and when it closes. */
export function RegistrationForm({ pending, error, onSubmit }: Props) {
  const [scenario, setScenario] = useState<string | null>(null);
  const [customer, setCustomer] = useState<EndCustomer>({ name: '', domain: '', country: '' });
  const { name, domain, country } = customer;
  const [taxId, setTaxId] = useState('');
  const [productLine, setProductLine] = useState('');
  const [region, setRegion] = useState('');
  const [value, setValue] = useState<string | number>('');
  const [currency, setCurrency] = useState<string | null>('EUR');
  const [closeOn, setCloseOn] = useState('');
  const [description, setDescription] = useState('');
  const [touched, setTouched] = useState(false);
  const server = fieldErrors(error);

  const local: Record<string, string | undefined> = touched
    ? {
        scenario: scenario ? undefined : 'Choose the scenario',
        endCustomerName: name.trim() ? undefined : 'Enter the end customer’s name',
        valueMinor: value === '' ? 'Enter the expected value' : undefined,
      }
    : {};
  const err = (field: string) => local[field] ?? server[field];

  const submit = (submitNow: boolean) => (event?: FormEvent) => {
    event?.preventDefault();
    setTouched(true);
    if (!scenario || !name.trim() || value === '' || !currency) return;
    let valueMinor: number;
    try {
      valueMinor = parseMajorAmount(String(value), currency);
    } catch {
      return;
    }
    onSubmit({
      scenario,
      endCustomerName: name.trim(),
      endCustomerDomain: orNull(domain),
      endCustomerCountry: orNull(country.toUpperCase()),
      endCustomerTaxId: orNull(taxId),
      productLine: orNull(productLine.toLowerCase()),
      region: orNull(region.toLowerCase()),
      valueMinor,
      currency,
      expectedCloseOn: orNull(closeOn),
      description: orNull(description),
      submit: submitNow,
    });
  };

  return (
    <Paper withBorder radius="md" p="md" maw={860}>
      <form onSubmit={submit(true)} noValidate aria-label="Register a deal">
        <Stack gap="sm">
          <FormError error={error} />
          <ScenarioSelect value={scenario} onChange={setScenario} error={err('scenario')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <EndCustomerFields value={customer} onChange={setCustomer} err={err} />
            <TextInput label="Customer tax id" value={taxId} onChange={(e) => setTaxId(e.currentTarget.value)} error={err('endCustomerTaxId')} />
            <TextInput
              label="Product line"
              placeholder="servers"
              value={productLine}
              onChange={(e) => setProductLine(e.currentTarget.value)}
              error={err('productLine')}
            />
            <TextInput label="Region" placeholder="emea" value={region} onChange={(e) => setRegion(e.currentTarget.value)} error={err('region')} />
            <DealValueInput value={value} onChange={setValue} currency={currency} error={err('valueMinor')} />
            <DealCurrencySelect value={currency} onChange={setCurrency} error={err('currency')} />
            <TextInput
              label="Expected close date"
              type="date"
              value={closeOn}
              onChange={(e) => setCloseOn(e.currentTarget.value)}
              error={err('expectedCloseOn')}
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
          {server.partnerTier && <FormError error={new Error(`Partner tier: ${server.partnerTier}`)} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => submit(false)()} loading={pending}>
              Save draft
            </Button>
            <Button type="submit" loading={pending}>
              Submit for review
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
