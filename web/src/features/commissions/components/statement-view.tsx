import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { ActionIcon, Anchor, Group, Paper, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconDownload } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import type { StatementLineView, StatementView } from '../../../../../common/api/commissions-runs.ts';
import { chartMoney, major, money, percent } from '../../comp-simulation/simulation-format.ts';
import { periodLabel } from '../commissions-format.ts';
import { LineTransactions } from './line-transactions.tsx';
import { DisputeOpenButton } from './dispute-open-button.tsx';

type Period = StatementView['periods'][number];

function tierText(tier: StatementLineView['tier']): string {
  if (!tier) return '—';
  return `${percent(tier.fromBps)} – ${tier.toBps === null ? '∞' : percent(tier.toBps)}`;
}

/** Payout by component over the statement's periods, one bar per component (stacked by period). */
function ComponentChart({ statement }: { statement: StatementView }) {
  const currency = statement.periods[0]?.currency ?? 'USD';
  const components = [...new Map(statement.periods.flatMap((p) => p.lines.map((l) => [l.componentKey, l.componentName] as const))).entries()];
  const data = components.map(([key, name]) => ({
    component: name,
    ...Object.fromEntries(
      statement.periods.map((p, i) => [
        `p${i}`,
        major(
          p.lines.filter((l) => l.componentKey === key).reduce((s, l) => s + l.amountMinor, 0),
          currency,
        ),
      ]),
    ),
  }));
  const colours = ['realign.6', 'teal.6', 'orange.6', 'grape.6', 'cyan.7', 'gray.6'];
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="by-component-title">
      <Title id="by-component-title" order={2} fz="md" mb="sm">
        Payout by component
      </Title>
      {data.length === 0 ? (
        <Text c="dimmed" fz="sm">
          No payout lines.
        </Text>
      ) : (
        <div role="figure" aria-label={`Bar chart: payout per component in ${currency}, by period`}>
          <BarChart
            h={240}
            data={data}
            dataKey="component"
            type="stacked"
            withLegend={statement.periods.length > 1}
            valueFormatter={(v) => chartMoney(v, currency)}
            series={statement.periods.map((p, i) => ({
              name: `p${i}`,
              label: periodLabel(p.periodStart, p.periodEnd),
              color: colours[i % colours.length] ?? 'gray.6',
            }))}
          />
        </div>
      )}
    </Paper>
  );
}

function PeriodSection({ statement, period }: { statement: StatementView; period: Period }) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const label = periodLabel(period.periodStart, period.periodEnd);
  const cur = period.currency;
  const toggle = (i: number) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      return next;
    });
  const figure = (name: string, value: string) => (
    <div>
      <Text fz="xs" c="dimmed">
        {name}
      </Text>
      <Text fw={600}>{value}</Text>
    </div>
  );
  const titleId = `period-${period.periodStart}`;
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby={titleId}>
      <Title id={titleId} order={2} fz="md" mb="sm">
        {label}
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 5 }} mb="md" role="group" aria-label={`Figures for ${label}`}>
        {figure('Quota', period.quotaMinor === null ? 'No quota' : money(period.quotaMinor, cur))}
        {figure('Quota credit', money(period.quotaCreditMinor, cur))}
        {figure('Attainment', percent(period.attainmentBps))}
        {figure('Year to date', percent(period.ytdAttainmentBps))}
        {figure('Total payout', money(period.totalMinor, cur))}
      </SimpleGrid>
      <Table.ScrollContainer minWidth={820}>
        <Table fz="sm" aria-label={`Payout lines for ${label}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w={40}>
                <VisuallyHidden>Details</VisuallyHidden>
              </Table.Th>
              <Table.Th scope="col">Component</Table.Th>
              <Table.Th scope="col">Explanation</Table.Th>
              <Table.Th scope="col" ta="right">
                Basis
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Rate
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Multiplier
              </Table.Th>
              <Table.Th scope="col">Tier</Table.Th>
              <Table.Th scope="col" ta="right">
                Amount
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {period.lines.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={8}>
                  <Text c="dimmed" fz="sm" ta="center" py="sm">
                    Nothing earned in this period.
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : (
              period.lines.map((l) => {
                const isOpen = open.has(l.index);
                const name = `${l.componentName} (${label})`;
                return (
                  <Fragment key={l.index}>
                    <Table.Tr>
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          onClick={() => toggle(l.index)}
                          aria-expanded={isOpen}
                          aria-controls={`line-${l.index}`}
                          aria-label={`${isOpen ? 'Hide' : 'Show'} transactions of ${name}`}
                        >
                          {isOpen ? <IconChevronDown size={16} aria-hidden /> : <IconChevronRight size={16} aria-hidden />}
                        </ActionIcon>
                      </Table.Td>
                      <Table.Td>
                        {l.componentName}
                        <Text fz="xs" c="dimmed">
                          {l.kind.replaceAll('_', ' ')}
                        </Text>
                        <DisputeOpenButton
                          about={{ kind: 'line', runId: statement.runId, participantId: statement.participantId, lineIndex: l.index, label: name }}
                          detailPath={(id) => `/commissions/disputes/${id}`}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Text fz="sm">{l.explanation}</Text>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }} ta="right">
                        {l.basisMinor === null ? '—' : money(l.basisMinor, cur)}
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }} ta="right">
                        {l.rateBps === null ? '—' : percent(l.rateBps)}
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }} ta="right">
                        {l.multiplierBps === 10_000 ? '×1' : `×${(l.multiplierBps / 10_000).toFixed(2)}`}
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{tierText(l.tier)}</Table.Td>
                      <Table.Td ta="right" fw={500}>
                        {money(l.amountMinor, cur)}
                      </Table.Td>
                    </Table.Tr>
                    {isOpen && (
                      <Table.Tr id={`line-${l.index}`}>
                        <Table.Td colSpan={8} bg="var(--mantine-color-gray-0)">
                          <LineTransactions runId={statement.runId} participantId={statement.participantId} index={l.index} planCurrency={cur} label={name} />
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

/** Adjustments booked for the participant in the commission periods of the run's dates (restatements, resolved disputes). */
function AdjustmentsSection({ statement }: { statement: StatementView }) {
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="statement-adjustments">
      <Title id="statement-adjustments" order={3} fz="md" mb="xs">
        Adjustments
      </Title>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Booked on</Table.Th>
            <Table.Th>Booked in</Table.Th>
            <Table.Th>Source</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {statement.adjustments.map((a) => (
            <Table.Tr key={a.adjustmentId}>
              <Table.Td>{a.bookedOn}</Table.Td>
              <Table.Td>{periodLabel(a.periodStart, a.periodEnd)}</Table.Td>
              <Table.Td>
                {a.source === 'dispute'
                  ? `Dispute ${a.disputeReference ?? ''}`
                  : a.restated
                    ? `Restatement of ${periodLabel(a.restated.periodStart, a.restated.periodEnd)} (version ${a.restated.version})`
                    : 'Restatement'}
              </Table.Td>
              <Table.Td>{a.reason}</Table.Td>
              <Table.Td ta="right">{money(a.amountMinor, a.currency)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** A participant's statement of a run: per payout period the figures and payout lines, each drillable to its transactions. */
export function StatementDetail({ statement }: { statement: StatementView }) {
  const totals = new Map<string, number>();
  for (const p of statement.periods) totals.set(p.currency, (totals.get(p.currency) ?? 0) + p.totalMinor);
  const withAdjustments = new Map(totals);
  for (const a of statement.adjustments) withAdjustments.set(a.currency, (withAdjustments.get(a.currency) ?? 0) + a.amountMinor);
  const file = `/api/comp/statements/${statement.runId}/${statement.participantId}`;
  return (
    <section aria-labelledby="statement-title">
      <Paper withBorder radius="md" p="md" mb="md">
        <Group justify="space-between">
          <Title id="statement-title" order={2} fz="lg">
            {statement.participantName}
          </Title>
          <Stack gap={0} align="flex-end">
            <Text fw={600}>Statement total {[...totals.entries()].map(([c, v]) => money(v, c)).join(' + ') || '—'}</Text>
            {statement.adjustments.length > 0 && (
              <Text fz="sm">Total including adjustments {[...withAdjustments.entries()].map(([c, v]) => money(v, c)).join(' + ')}</Text>
            )}
          </Stack>
        </Group>
        <Text fz="sm" c="dimmed">
          {statement.periods.length === 0
            ? 'No payout periods for this participant in this run.'
            : `${statement.periods.length} payout period${statement.periods.length === 1 ? '' : 's'} · run ${statement.runStatus}`}
        </Text>
        <Group gap="md" mt="xs">
          <Anchor href={`${file}.csv`} download fz="sm" aria-label={`Download the statement of ${statement.participantName} as CSV`}>
            <Group gap={4} component="span">
              <IconDownload size={16} aria-hidden />
              Download CSV
            </Group>
          </Anchor>
          <Anchor href={`${file}.pdf`} download fz="sm" aria-label={`Download the statement of ${statement.participantName} as PDF`}>
            <Group gap={4} component="span">
              <IconDownload size={16} aria-hidden />
              Download PDF
            </Group>
          </Anchor>
        </Group>
      </Paper>
      {statement.periods.length > 0 && <ComponentChart statement={statement} />}
      {statement.periods.map((p) => (
        <PeriodSection key={p.periodStart} statement={statement} period={p} />
      ))}
      {statement.adjustments.length > 0 && <AdjustmentsSection statement={statement} />}
    </section>
  );
}
