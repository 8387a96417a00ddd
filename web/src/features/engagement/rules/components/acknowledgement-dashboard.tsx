import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import type { AcknowledgementPerson } from '../../../../../../common/api/engagement-rules.ts';
import { EmptyRows } from '../../../../components/ui/empty-rows.tsx';
import { QueryError } from '../../../../components/ui/query-error.tsx';
import { formatDateTime, formatInteger } from '../../../../lib/format.ts';
import { useAcknowledgements } from '../api/get-acknowledgements.ts';

function Stat({ label, acknowledged, total }: { label: string; acknowledged: number; total: number }) {
  const pct = total === 0 ? 0 : Math.round((acknowledged / total) * 100);
  return (
    <Paper withBorder p="sm" radius="md">
      <Text fz="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz="xl" fw={700}>
        {formatInteger(acknowledged)} / {formatInteger(total)}
      </Text>
      <Text fz="xs" c="dimmed">
        {pct}% accepted
      </Text>
    </Paper>
  );
}

function People({ label, people, withDate }: { label: string; people: AcknowledgementPerson[]; withDate: boolean }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table aria-label={label} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>E-mail</Table.Th>
            <Table.Th>Organisation</Table.Th>
            <Table.Th>Tier</Table.Th>
            {withDate && <Table.Th>Accepted</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {people.length === 0 && <EmptyRows colSpan={withDate ? 5 : 4}>Nobody.</EmptyRows>}
          {people.map((p) => (
            <Table.Tr key={p.userId}>
              <Table.Td>{p.displayName}</Table.Td>
              <Table.Td>{p.email}</Table.Td>
              <Table.Td>{p.partnerName ?? 'Internal'}</Table.Td>
              <Table.Td>{p.partnerTier ?? '—'}</Table.Td>
              {withDate && <Table.Td>{formatDateTime(p.acknowledgedAt)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Who accepted a version: counts, partners by tier as a chart and a table, and who is still pending. */
export function AcknowledgementDashboardView({ versionId }: { versionId: string }) {
  const d = useAcknowledgements(versionId);
  if (d.isPending) return <Skeleton h={200} />;
  if (d.isError) return <QueryError error={d.error} onRetry={() => void d.refetch()} />;
  const data = d.data;
  const tiers = data.byTier.map((t) => ({ tier: t.tier, accepted: t.acknowledgedPartners, pending: t.partners - t.acknowledgedPartners }));
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        {data.scope === 'all' && <Stat label="Internal users" {...data.internalUsers} />}
        <Stat label="Partner users" {...data.partnerUsers} />
        <Stat label="Partners with an acceptance" {...data.partners} />
      </SimpleGrid>
      <Paper withBorder p="md" radius="md" role="figure" aria-label="Partners that accepted, by tier">
        <Title order={3} fz="sm" mb="xs">
          Partners by tier
        </Title>
        <BarChart
          h={220}
          data={tiers}
          dataKey="tier"
          type="stacked"
          series={[
            { name: 'accepted', label: 'At least one user accepted', color: 'teal.6' },
            { name: 'pending', label: 'Nobody accepted yet', color: 'gray.5' },
          ]}
          withLegend
        />
        <Table aria-label="Partners that accepted, by tier" mt="sm" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Tier</Table.Th>
              <Table.Th ta="right">Active partners</Table.Th>
              <Table.Th ta="right">Accepted</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.byTier.length === 0 && <EmptyRows colSpan={3}>No active partners.</EmptyRows>}
            {data.byTier.map((t) => (
              <Table.Tr key={t.tier}>
                <Table.Td>{t.tier}</Table.Td>
                <Table.Td ta="right">{formatInteger(t.partners)}</Table.Td>
                <Table.Td ta="right">{formatInteger(t.acknowledgedPartners)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <div>
        <Title order={3} fz="sm" mb="xs">
          Not accepted yet ({formatInteger(data.pending.length)}
          {data.pending.length >= 200 ? '+' : ''})
        </Title>
        <People label="Users who have not accepted yet" people={data.pending} withDate={false} />
      </div>
      <div>
        <Title order={3} fz="sm" mb="xs">
          Accepted
        </Title>
        <People label="Users who accepted" people={data.acknowledged} withDate />
      </div>
    </Stack>
  );
}
