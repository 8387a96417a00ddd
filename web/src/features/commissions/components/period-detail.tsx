import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Anchor, Badge, Code, Paper, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { CommissionPeriodView } from '../../../../../common/api/commissions-close.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { QueryError } from '../../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../../components/ui/table-skeleton.tsx';
import { formatDateTime, formatInteger } from '../../../lib/format.ts';
import { chartMoney, major, money, signedMoney } from '../../comp-simulation/simulation-format.ts';
import { usePeriodResults } from '../api/periods.ts';

const versionColours = ['gray.6', 'realign.7', 'teal.6', 'orange.6', 'grape.6', 'cyan.7'];

/** Every version of the period (close, then restatements) with its run, result hash and totals. */
export function PeriodVersions({ period }: { period: CommissionPeriodView }) {
  const results = usePeriodResults(period.id);
  const totals = new Map((results.data?.versions ?? []).map((v) => [v.version, v]));
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="versions-title">
      <Title id="versions-title" order={2} fz="md" mb="xs">
        Versions
      </Title>
      <Table.ScrollContainer minWidth={760}>
        <Table fz="sm" aria-label="Versions of the period" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Version</Table.Th>
              <Table.Th scope="col">Kind</Table.Th>
              <Table.Th scope="col">Result hash</Table.Th>
              <Table.Th scope="col" ta="right">
                Participants
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Total
              </Table.Th>
              <Table.Th scope="col">Recorded</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {period.versions.length === 0 ? (
              <EmptyRows colSpan={6}>Not closed yet: the period has no official results.</EmptyRows>
            ) : (
              period.versions.map((v) => {
                const t = totals.get(v.version);
                return (
                  <Table.Tr key={v.version}>
                    <Table.Th scope="row">v{v.version}</Table.Th>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={v.kind === 'close' ? 'gray' : 'grape'}>
                        {v.kind === 'close' ? 'Close' : 'Restatement'}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Code title={v.resultHash}>{v.resultHash.slice(0, 16)}…</Code>
                      <Text fz="xs" c="dimmed">
                        <Anchor component={Link} to={`/commissions/statements?runId=${v.runId}`} fz="xs">
                          Statements of the run
                        </Anchor>
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{t ? formatInteger(t.participantCount) : '…'}</Table.Td>
                    <Table.Td ta="right">{t ? t.totals.map((x) => money(x.totalMinor, x.currency)).join(' · ') || '—' : '…'}</Table.Td>
                    <Table.Td>{formatDateTime(v.createdAt)}</Table.Td>
                  </Table.Tr>
                );
              })
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {results.isError && <QueryError error={results.error} onRetry={() => void results.refetch()} />}
    </Paper>
  );
}

/** Payout by participant, one bar per version: what a restatement changed, at a glance. */
export function PeriodPayoutChart({ period }: { period: CommissionPeriodView }) {
  const results = usePeriodResults(period.id);
  if (period.versions.length === 0) return null;
  if (results.isPending) return <TableSkeleton />;
  if (results.isError) return <QueryError error={results.error} onRetry={() => void results.refetch()} />;
  const { versions, participants, participantsLeftOut } = results.data;
  const currency = participants[0]?.currency ?? 'EUR';
  const rows = participants.filter((p) => p.currency === currency);
  const data = rows.map((p) => ({
    participant: p.name,
    ...Object.fromEntries(versions.map((v, i) => [`v${v.version}`, major(p.byVersion[i] ?? 0, currency)])),
  }));
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="payout-chart-title">
      <Title id="payout-chart-title" order={2} fz="md" mb={4}>
        Payout by participant
      </Title>
      <Text fz="sm" c="dimmed" mb="sm">
        The largest payouts of the latest version{versions.length > 1 ? ', next to every earlier version' : ''}
        {participantsLeftOut > 0 ? ` (${formatInteger(participantsLeftOut)} more not shown)` : ''}, in {currency}.
      </Text>
      {data.length === 0 ? (
        <Text c="dimmed" fz="sm">
          No participant was paid in this period.
        </Text>
      ) : (
        <div role="figure" aria-label={`Bar chart: payout per participant in ${currency}, by version`}>
          <BarChart
            h={Math.max(200, data.length * 28 + 60)}
            data={data}
            dataKey="participant"
            orientation="vertical"
            withLegend={versions.length > 1}
            valueFormatter={(v) => chartMoney(v, currency)}
            series={versions.map((v, i) => ({
              name: `v${v.version}`,
              label: `Version ${v.version}`,
              color: versionColours[i % versionColours.length] ?? 'gray.6',
            }))}
          />
        </div>
      )}
      {versions.length > 1 && (
        <Table fz="sm" aria-label="Payout by participant and version" verticalSpacing={4} mt="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Participant</Table.Th>
              {versions.map((v) => (
                <Table.Th key={v.version} scope="col" ta="right">
                  v{v.version}
                </Table.Th>
              ))}
              <Table.Th scope="col" ta="right">
                Change
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {participants.map((p) => {
              const last = p.byVersion[p.byVersion.length - 1] ?? 0;
              const prev = p.byVersion[p.byVersion.length - 2] ?? 0;
              return (
                <Table.Tr key={`${p.participantId}|${p.currency}`}>
                  <Table.Th scope="row" fw={500}>
                    {p.name}
                  </Table.Th>
                  {p.byVersion.map((v, i) => (
                    <Table.Td key={i} ta="right">
                      {money(v, p.currency)}
                    </Table.Td>
                  ))}
                  <Table.Td ta="right">{signedMoney(last - prev, p.currency)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

/** Adjustments booked in this period by restatements of earlier periods (or resolved disputes). */
export function PeriodAdjustments({ period }: { period: CommissionPeriodView }) {
  const list = usePeriodResults(period.id);
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="adjustments-title">
      <Title id="adjustments-title" order={2} fz="md" mb="xs">
        Adjustments booked in this period
      </Title>
      {list.isPending ? (
        <TableSkeleton />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table fz="sm" aria-label="Adjustments booked in the period" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Participant</Table.Th>
              <Table.Th scope="col">Reason</Table.Th>
              <Table.Th scope="col">From</Table.Th>
              <Table.Th scope="col" ta="right">
                Amount
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.adjustmentsBooked.length === 0 ? (
              <EmptyRows colSpan={4}>No adjustments booked in this period.</EmptyRows>
            ) : (
              list.data.adjustmentsBooked.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Th scope="row" fw={500}>
                    {a.name}
                  </Table.Th>
                  <Table.Td>{a.reason}</Table.Td>
                  <Table.Td>
                    {a.sourcePeriodId ? (
                      <Anchor component={Link} to={`/commissions/periods/${a.sourcePeriodId}`} fz="sm">
                        v{a.sourceVersion}
                      </Anchor>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{signedMoney(a.amountMinor, a.currency)}</Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
