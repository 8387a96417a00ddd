import { Alert, NativeSelect, Paper, Table, Text, Title } from '@mantine/core';
import { formatMoney } from '../../../../../common/money.ts';
import { useMyOpenOpportunities, useSetForecastCategory } from '../api/my-open-opportunities.ts';

const categories = [
  { value: 'commit', label: 'Commit' },
  { value: 'best_case', label: 'Best case' },
  { value: 'pipeline', label: 'Pipeline' },
  { value: 'omitted', label: 'Omitted' },
];

/**
 * The seller's own open deals closing in the period, each with its forecast category: changing one
 * saves it at once and the page's totals are read again. Shown only to someone who owns deals.
 */
export function MyOpenOpportunities({ period }: { period: string }) {
  const q = useMyOpenOpportunities(period);
  const save = useSetForecastCategory();
  const items = q.data?.items ?? [];
  if (!q.data || items.length === 0) return null;
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={2} fz="md" mb={4}>
        Your open opportunities
      </Title>
      <Text fz="sm" c="dimmed" mb="sm">
        Set the forecast category of each deal you expect to close this period: commit, best case or pipeline.
      </Text>
      {save.isError && (
        <Alert color="red" variant="light" mb="sm" title="The category was not saved">
          {save.error.message}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={720}>
        <Table striped aria-label="Your open opportunities">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Opportunity</Table.Th>
              <Table.Th>Partner</Table.Th>
              <Table.Th>Stage</Table.Th>
              <Table.Th>Closes</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>Forecast category</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((o) => {
              const name = [o.accountName ?? o.externalId, o.product].filter(Boolean).join(' · ');
              return (
                <Table.Tr key={o.id}>
                  <Table.Td>{name}</Table.Td>
                  <Table.Td>{o.partnerName ?? 'Direct'}</Table.Td>
                  <Table.Td>{o.stage === 'engaging' ? 'Engaging' : 'Prospecting'}</Table.Td>
                  <Table.Td>{o.closeOn ?? '—'}</Table.Td>
                  <Table.Td>{o.valueMinor === null ? '—' : formatMoney({ amountMinor: o.valueMinor, currency: o.currency })}</Table.Td>
                  <Table.Td>
                    <NativeSelect
                      aria-label={`Forecast category of ${name}`}
                      data={categories}
                      value={o.forecastCategory ?? 'pipeline'}
                      disabled={save.isPending}
                      onChange={(e) => save.mutate({ id: o.id, forecastCategory: e.currentTarget.value })}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
