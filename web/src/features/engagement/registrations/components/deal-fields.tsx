import { NumberInput, Select, TextInput } from '@mantine/core';
import { minorUnitDigits } from '../../../../../../common/money.ts';
import { useScenarios } from '../../scenarios/api/list-scenarios.ts';

/** The fields a partner's registration and a vendor-pushed offer share: scenario, end customer, value. */

export const dealCurrencies = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'JPY'];
export const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

export function ScenarioSelect({ value, onChange, error }: { value: string | null; onChange: (v: string | null) => void; error?: string | undefined }) {
  const scenarios = useScenarios();
  return (
    <Select
      label="Scenario"
      required
      placeholder={scenarios.isPending ? 'Loading scenarios…' : 'Choose a scenario'}
      data={(scenarios.data?.items ?? []).map((s) => ({ value: s.key, label: s.name }))}
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}

export type EndCustomer = { name: string; domain: string; country: string };

/** End customer name, web domain and country: three cells of the form's grid. */
export function EndCustomerFields({
  value,
  onChange,
  err,
}: {
  value: EndCustomer;
  onChange: (v: EndCustomer) => void;
  err: (field: string) => string | undefined;
}) {
  return (
    <>
      <TextInput
        label="End customer"
        required
        value={value.name}
        onChange={(e) => onChange({ ...value, name: e.currentTarget.value })}
        error={err('endCustomerName')}
      />
      <TextInput
        label="Customer web domain"
        placeholder="example.com"
        value={value.domain}
        onChange={(e) => onChange({ ...value, domain: e.currentTarget.value })}
        error={err('endCustomerDomain')}
      />
      <TextInput
        label="Customer country"
        placeholder="DE"
        maxLength={2}
        value={value.country}
        onChange={(e) => onChange({ ...value, country: e.currentTarget.value })}
        error={err('endCustomerCountry')}
      />
    </>
  );
}

export function DealValueInput({
  value,
  onChange,
  currency,
  error,
}: {
  value: string | number;
  onChange: (v: string | number) => void;
  currency: string | null;
  error?: string | undefined;
}) {
  return (
    <NumberInput
      label="Expected value"
      required
      min={0}
      decimalScale={currency ? minorUnitDigits(currency) : 2}
      thousandSeparator=","
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}

export function DealCurrencySelect({ value, onChange, error }: { value: string | null; onChange: (v: string | null) => void; error?: string | undefined }) {
  return <Select label="Currency" required data={dealCurrencies} value={value} onChange={onChange} error={error} allowDeselect={false} />;
}
