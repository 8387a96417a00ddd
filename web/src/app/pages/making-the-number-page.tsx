import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Alert, Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { MakingTheNumberView, NumberRow } from '../../../../common/api/scorecard-number.ts';
import { dateOf, isIsoDate } from '../../../../common/dates.ts';
import { formatMoney } from '../../../../common/money.ts';
import { majorUnits } from '../../../../common/scorecards/format.ts';
import { periodLabel } from '../../../../common/scorecards/scorecard.ts';
import { EmptyRows } from '../../components/ui/empty-rows.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { useMakingTheNumber } from '../../features/scorecards/api/get-making-the-number.ts';
import { MyOpenOpportunities } from '../../features/scorecards/components/my-open-opportunities.tsx';
import { canReadAllScores } from '../../features/scorecards/scorecards-permissions.ts';

const levels = [
  { value: 'seller', label: 'Seller' },
  { value: 'team', label: 'Team' },
  { value: 'unit', label: 'Unit' },
  { value: 'partner', label: 'Partner' },
];

const pct = (n: number | null) => (n === null ? '—' : `${(n * 100).toFixed(0)}%`);
const times = (n: number | null) => (n === null ? '—' : `${n.toFixed(2)}×`);

function Kpi({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Text fz="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={22} fw={700}>
        {value}
      </Text>
      {hint && (
        <Text fz="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

/** The answer in one sentence: what is left, what commit covers, what partners could close. */
function Answer({ v, money }: { v: MakingTheNumberView; money: (n: number | null) => string }) {
  const t = v.total;
  if (t.gapMinor === null)
    return (
      <Alert color="gray" variant="light" title="No quota set for this period">
        Quotas come from the compensation plans; without one there is no gap to close.
      </Alert>
    );
  if (t.gapMinor === 0)
    return (
      <Alert color="green" variant="light" title="The number is made">
        Bookings have reached quota for {periodLabel(v.periodStart, v.grain)}.
      </Alert>
    );
  const partnerOpen = t.partner.commit + t.partner.bestCase + t.partner.pipeline;
  return (
    <Alert
      color={t.gapAfterCommit === 0 ? 'green' : (t.partnerCoverage ?? 0) >= 1 ? 'orange' : 'red'}
      variant="light"
      title={`${money(t.gapMinor)} still to book`}
    >
      Commit deals would leave {money(t.gapAfterCommit)}. Open pipeline covers the gap {times(t.coverage)}; partner pipeline alone ({money(partnerOpen)}) covers{' '}
      {pct(t.partnerCoverage)} of it.
    </Alert>
  );
}

/** "How do we make our number now?": quota, bookings, open pipeline by source and forecast category, gap and coverage. */
export function MakingTheNumberPage() {
  const { user } = useCurrentSession();
  const reader = canReadAllScores(user);
  const [params, setParams] = useSearchParams();
  const period = isIsoDate(params.get('period') ?? '') ? (params.get('period') ?? '') : dateOf(new Date());
  const level = params.get('level') ?? 'seller';
  const [periodText, setPeriodText] = useState(period);
  const q = useMakingTheNumber({ period, level, currency: 'USD' });
  const set = (next: Record<string, string>) => {
    const p = new URLSearchParams(params);
    for (const [k, val] of Object.entries(next)) p.set(k, val);
    setParams(p, { replace: true });
  };
  const v = q.data;
  const money = (n: number | null) => (n === null ? '—' : formatMoney({ amountMinor: Math.round(n), currency: v?.currency ?? 'USD' }));
  const chart = (v?.rows ?? [])
    .filter((r) => r.gapMinor)
    .slice(0, 12)
    .map((r: NumberRow) => ({
      subject: r.label,
      gap: majorUnits(r.gapMinor ?? 0, v?.currency ?? 'USD'),
      partner: majorUnits(r.partner.commit + r.partner.bestCase + r.partner.pipeline, v?.currency ?? 'USD'),
      direct: majorUnits(r.direct.commit + r.direct.bestCase + r.direct.pipeline, v?.currency ?? 'USD'),
    }));
  return (
    <>
      <PageHeader
        title="Making the number"
        description={
          v ? `${periodLabel(v.periodStart, v.grain)} · quota against bookings and open pipeline${v.ownOnly ? ' · your own figures' : ''}` : undefined
        }
        crumbs={[{ label: 'Scorecards', to: '/scorecards' }, { label: 'Making the number' }]}
      />
      <Stack gap="md">
        <Paper withBorder radius="md" p="md">
          <Group align="flex-end" gap="lg" wrap="wrap">
            <TextInput
              label="Period containing"
              type="date"
              value={periodText}
              w={180}
              onChange={(e) => {
                setPeriodText(e.currentTarget.value);
                if (isIsoDate(e.currentTarget.value)) set({ period: e.currentTarget.value });
              }}
            />
            {reader && (
              <Stack gap={4}>
                <Text fz="sm" fw={500} id="number-level">
                  By
                </Text>
                <SegmentedControl aria-labelledby="number-level" value={level} onChange={(l) => set({ level: l })} data={levels} />
              </Stack>
            )}
          </Group>
        </Paper>
        {q.isPending ? (
          <TableSkeleton />
        ) : q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : v ? (
          <>
            <Answer v={v} money={money} />
            <MyOpenOpportunities period={period} />
            <SimpleGrid cols={{ base: 2, md: 6 }} spacing="sm">
              <Kpi label="Quota" value={money(v.total.quotaMinor)} />
              <Kpi label="Booked" value={money(v.total.bookedMinor)} hint={`${pct(v.total.attainment)} of quota`} />
              <Kpi label="Open pipeline" value={money(v.total.openMinor)} hint={`commit ${money(v.total.direct.commit + v.total.partner.commit)}`} />
              <Kpi label="Gap" value={money(v.total.gapMinor)} />
              <Kpi label="Coverage" value={times(v.total.coverage)} hint="open pipeline / gap" />
              <Kpi label="Partner coverage" value={times(v.total.partnerCoverage)} hint="partner pipeline / gap" />
            </SimpleGrid>
            {chart.length > 0 && (
              <Paper withBorder radius="md" p="md" role="figure" aria-label="Gap against open pipeline">
                <Title order={2} fz="md" mb="sm">
                  Gap against open pipeline (largest gaps)
                </Title>
                <BarChart
                  h={260}
                  data={chart}
                  dataKey="subject"
                  series={[
                    { name: 'gap', label: 'Gap', color: 'red.6' },
                    { name: 'direct', label: 'Direct pipeline', color: 'blue.6' },
                    { name: 'partner', label: 'Partner pipeline', color: 'teal.6' },
                  ]}
                  withLegend
                />
              </Paper>
            )}
            <Paper withBorder radius="md" p="md">
              <Table.ScrollContainer minWidth={1000}>
                <Table striped aria-label="Quota, bookings and pipeline">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Subject</Table.Th>
                      <Table.Th>Quota</Table.Th>
                      <Table.Th>Booked</Table.Th>
                      <Table.Th>Attainment</Table.Th>
                      <Table.Th>Direct: commit / best case / pipeline</Table.Th>
                      <Table.Th>Partner: commit / best case / pipeline</Table.Th>
                      <Table.Th>Coverage</Table.Th>
                      <Table.Th>Gap</Table.Th>
                      <Table.Th>Partner coverage</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {v.rows.length === 0 ? (
                      <EmptyRows colSpan={9}>No quota, booking or open deal in this period.</EmptyRows>
                    ) : (
                      v.rows.map((r) => (
                        <Table.Tr key={r.subjectId}>
                          <Table.Td>{r.label}</Table.Td>
                          <Table.Td>{money(r.quotaMinor)}</Table.Td>
                          <Table.Td>{money(r.bookedMinor)}</Table.Td>
                          <Table.Td>{pct(r.attainment)}</Table.Td>
                          <Table.Td>
                            {money(r.direct.commit)} / {money(r.direct.bestCase)} / {money(r.direct.pipeline)}
                          </Table.Td>
                          <Table.Td>
                            {money(r.partner.commit)} / {money(r.partner.bestCase)} / {money(r.partner.pipeline)}
                          </Table.Td>
                          <Table.Td>{times(r.coverage)}</Table.Td>
                          <Table.Td>{money(r.gapMinor)}</Table.Td>
                          <Table.Td>{times(r.partnerCoverage)}</Table.Td>
                        </Table.Tr>
                      ))
                    )}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
          </>
        ) : null}
      </Stack>
    </>
  );
}
