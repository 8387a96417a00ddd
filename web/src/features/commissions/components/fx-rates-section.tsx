import { Button, Group, Paper, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { FormError } from '../../../components/ui/form-error.tsx';
import { Pager } from '../../../components/ui/pager.tsx';
import { QueryError } from '../../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../../components/ui/table-skeleton.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useFxRates, useSetFxRate } from '../api/fx-rates.ts';

const limit = 25;

/** Set a pair's rate from a day: the same day again replaces it (the audit log keeps the old rate). */
export function FxRateForm({ defaultDay }: { defaultDay: string }) {
  const set = useSetFxRate();
  const [currency, setCurrency] = useState('USD');
  const [toCurrency, setToCurrency] = useState('EUR');
  const [validOn, setValidOn] = useState(defaultDay);
  const [rate, setRate] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set.mutate(
      { currency: currency.trim().toUpperCase(), toCurrency: toCurrency.trim().toUpperCase(), validOn, rate: rate.trim() },
      {
        onSuccess: (r) => {
          notifications.show({
            color: 'green',
            message: r.replaced
              ? `${r.rate.currency}/${r.rate.toCurrency} from ${r.rate.validOn}: ${r.rate.rate} (was ${r.replaced}).`
              : `${r.rate.currency}/${r.rate.toCurrency} from ${r.rate.validOn}: ${r.rate.rate}.`,
          });
          setRate('');
        },
      },
    );
  };
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="fx-form-title">
      <Title id="fx-form-title" order={2} fz="md" mb={4}>
        Set an exchange rate
      </Title>
      <Text fz="sm" c="dimmed" mb="sm">
        A transaction recognised on a day converts to its plan’s currency at the pair’s latest rate valid on or before that day. Closed periods never change: a
        later run restates them.
      </Text>
      <form onSubmit={submit} aria-label="Set an exchange rate">
        <Group align="flex-end" gap="sm" mb="sm">
          <TextInput label="From currency" value={currency} onChange={(e) => setCurrency(e.currentTarget.value)} maxLength={3} w={120} required />
          <TextInput label="To currency" value={toCurrency} onChange={(e) => setToCurrency(e.currentTarget.value)} maxLength={3} w={120} required />
          <TextInput label="Valid from" type="date" value={validOn} onChange={(e) => setValidOn(e.currentTarget.value)} w={170} required />
          <TextInput
            label="Rate"
            description="Units of the target currency for one unit"
            placeholder="1.0825"
            value={rate}
            onChange={(e) => setRate(e.currentTarget.value)}
            inputMode="decimal"
            w={220}
            required
          />
          <Button type="submit" loading={set.isPending}>
            Save rate
          </Button>
        </Group>
        <FormError error={set.error} />
      </form>
    </Paper>
  );
}

/** Dated rates by pair, newest day first, filterable by source currency. */
export function FxRatesTable() {
  const [offset, setOffset] = useState(0);
  const [currency, setCurrency] = useState('');
  const filter = /^[A-Za-z]{3}$/.test(currency) ? currency.toUpperCase() : undefined;
  const list = useFxRates({ currency: filter, limit, offset });
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="fx-table-title">
      <Group justify="space-between" mb="xs">
        <Title id="fx-table-title" order={2} fz="md">
          Exchange rates
        </Title>
        <TextInput
          aria-label="Filter by source currency"
          placeholder="Filter: USD"
          value={currency}
          onChange={(e) => {
            setCurrency(e.currentTarget.value);
            setOffset(0);
          }}
          maxLength={3}
          w={140}
        />
      </Group>
      {list.isPending ? (
        <TableSkeleton />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <Table fz="sm" aria-label="Exchange rates" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Pair</Table.Th>
                <Table.Th scope="col">Valid from</Table.Th>
                <Table.Th scope="col" ta="right">
                  Rate
                </Table.Th>
                <Table.Th scope="col">Recorded</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.length === 0 ? (
                <EmptyRows colSpan={4}>No exchange rates yet.</EmptyRows>
              ) : (
                list.data.items.map((r) => (
                  <Table.Tr key={`${r.currency}/${r.toCurrency}@${r.validOn}`}>
                    <Table.Th scope="row" fw={500}>
                      {r.currency} → {r.toCurrency}
                    </Table.Th>
                    <Table.Td>{r.validOn}</Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      {r.rate}
                    </Table.Td>
                    <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
          <Pager total={list.data.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="rates" />
        </>
      )}
    </Paper>
  );
}
