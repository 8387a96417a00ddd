import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { Alert, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { ParticipantPeriodResult } from '../../../../../common/comp/engine-types.ts';
import { planDocument, type PlanDocument } from '../../../../../common/comp/plan.ts';
import { minorToMajor, moneyText, percentText } from '../plan-format.ts';
import { defaultExampleSettings, type ExampleSettings, payoutCurve, runExample } from '../plan-examples.ts';
import { MoneyInput, PercentInput, PlainNumberInput } from './plan-fields.tsx';

type Outcome = { attainmentBps: number; result: ParticipantPeriodResult } | { attainmentBps: number; error: string };

function ExampleResult({ outcome, currency }: { outcome: Outcome; currency: string }) {
  const title = `At ${percentText(outcome.attainmentBps)} of quota`;
  if ('error' in outcome)
    return (
      <Paper withBorder radius="md" p="sm" component="section" aria-label={title}>
        <Title order={4} fz="sm">
          {title}
        </Title>
        <Text fz="sm" c="red.8">
          The engine could not compute this example: {outcome.error}
        </Text>
      </Paper>
    );
  const r = outcome.result;
  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-label={title}>
      <Group justify="space-between" align="baseline" mb={4}>
        <Title order={4} fz="sm">
          {title}
        </Title>
        <Text fz="sm" fw={700} data-testid="example-total">
          {moneyText(r.totalMinor, currency)}
        </Text>
      </Group>
      <Text fz="xs" c="dimmed" mb={4}>
        Credit {moneyText(r.quotaCreditMinor, currency)} against a quota of {r.quotaMinor === null ? '—' : moneyText(r.quotaMinor, currency)}, {r.periodStart}{' '}
        to {r.periodEnd}.
      </Text>
      {r.lines.length === 0 ? (
        <Text fz="sm">Nothing is paid.</Text>
      ) : (
        <Table fz="xs" aria-label={`Payout lines ${title}`} striped={false}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Component</Table.Th>
              <Table.Th>Why</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.lines.map((l, i) => (
              <Table.Tr key={i}>
                <Table.Td>{l.componentName}</Table.Td>
                <Table.Td>{l.explanation}</Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {moneyText(l.amountMinor, currency)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

/**
 * "What would I earn": example credit at a few attainments run through the engine in the browser,
 * and the payout curve from 0 to 200 % of quota. Shows nothing computed while the plan has problems.
 */
export function ExamplePanel({ plan }: { plan: PlanDocument }) {
  const [settings, setSettings] = useState<ExampleSettings>(defaultExampleSettings);
  const [attainments, setAttainments] = useState<number[]>([5_000, 10_000, 15_000]);
  const valid = useMemo(() => planDocument.safeParse(plan), [plan]);
  const settingsOk =
    Number.isFinite(settings.quotaMinor) && settings.quotaMinor > 0 && Number.isFinite(settings.partnerShareBps) && Number.isFinite(settings.deals);

  const computed = useMemo(() => {
    if (!valid.success || !settingsOk) return null;
    const p = valid.data;
    const outcomes: Outcome[] = attainments
      .filter((a) => Number.isFinite(a))
      .map((a) => {
        try {
          return { attainmentBps: a, result: runExample(p, settings, a) };
        } catch (e) {
          return { attainmentBps: a, error: e instanceof Error ? e.message : String(e) };
        }
      });
    const curve = (() => {
      try {
        return payoutCurve(p, settings).map((c) => ({
          attainment: percentText(c.attainmentBps).replace(' ', ''),
          payout: minorToMajor(c.totalMinor, p.currency),
        }));
      } catch {
        return null;
      }
    })();
    return { outcomes, curve };
  }, [valid, settingsOk, settings, attainments]);

  return (
    <Stack gap="sm" component="section" aria-label="What would I earn">
      <Title order={3} fz="md">
        What would I earn?
      </Title>
      <Text fz="xs" c="dimmed">
        One participant in the plan’s first payout period, computed by the plan engine. Accountabilities are assumed met at their target.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
        <MoneyInput
          label="Quota for the period"
          path="example.quotaMinor"
          currency={plan.currency}
          value={settings.quotaMinor}
          onChange={(quotaMinor) => setSettings({ ...settings, quotaMinor })}
        />
        <PercentInput
          label="Partner-sourced share"
          path="example.partnerShareBps"
          value={settings.partnerShareBps}
          max={100}
          onChange={(partnerShareBps) => setSettings({ ...settings, partnerShareBps })}
        />
        <PlainNumberInput
          label="Deals in the period"
          path="example.deals"
          value={settings.deals}
          allowDecimal={false}
          min={1}
          onChange={(deals) => setSettings({ ...settings, deals })}
        />
      </SimpleGrid>
      <SimpleGrid cols={3} spacing="xs">
        {attainments.map((a, i) => (
          <PercentInput
            key={i}
            label={`Example ${i + 1}: attainment`}
            path={`example.attainment${i}`}
            value={a}
            onChange={(v) => setAttainments(attainments.map((x, j) => (j === i ? v : x)))}
          />
        ))}
      </SimpleGrid>
      {!valid.success ? (
        <Alert color="gray" variant="light" role="status">
          <Text fz="sm">Fix the problems in the plan to see what it pays.</Text>
        </Alert>
      ) : !settingsOk || !computed ? (
        <Alert color="gray" variant="light" role="status">
          <Text fz="sm">Enter a quota above zero, a share and a number of deals.</Text>
        </Alert>
      ) : (
        <>
          {computed.outcomes.map((o, i) => (
            <ExampleResult key={i} outcome={o} currency={plan.currency} />
          ))}
          {computed.curve && (
            <Paper withBorder radius="md" p="sm" role="figure" aria-label="Payout by attainment, 0 to 200 % of quota">
              <Title order={4} fz="sm" mb={2}>
                Payout by attainment
              </Title>
              <Text fz="xs" c="dimmed" mb="xs">
                Total for the period from 0 to 200 % of quota, in {plan.currency}. A sudden jump is a cliff.
              </Text>
              <LineChart
                h={220}
                data={computed.curve}
                dataKey="attainment"
                series={[{ name: 'payout', label: `Payout (${plan.currency})`, color: 'realign.7' }]}
                curveType="linear"
                withDots={false}
                tickLine="none"
                valueFormatter={(v) => new Intl.NumberFormat('en', { maximumFractionDigits: 0 }).format(v)}
              />
            </Paper>
          )}
        </>
      )}
    </Stack>
  );
}
