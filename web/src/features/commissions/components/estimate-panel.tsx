import { Alert, Badge, Button, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { EstimateRequest, EstimateView } from '../../../../../common/api/commissions-estimator.ts';
import { parseMajorAmount } from '../../../../../common/money.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { money, percent, signedMoney } from '../../comp-simulation/simulation-format.ts';
import { useEstimableParticipants, useEstimateDeal } from '../api/estimator.ts';
import { periodLabel } from '../commissions-format.ts';

type Source = 'deal' | 'opportunity' | 'registration';

const band = (t: { fromBps: number; toBps: number | null } | null) =>
  t === null ? 'none' : `${t.fromBps / 100}%–${t.toBps === null ? '' : `${t.toBps / 100}%`}`;

/**
 * "Estimate a deal": what an open deal would add to a participant's pay in the period it would
 * close in, calculated by the server with the period runs' crediting and engine. Without a
 * participant the server estimates for the signed-in user's own participant.
 */
export function EstimatePanel({
  participantId: fixedId,
  participantName,
  chooseParticipant = false,
}: {
  participantId?: string | undefined;
  participantName?: string | undefined;
  /** Offer a "For" choice when the user may estimate for others too (a manager's reports). */
  chooseParticipant?: boolean;
}) {
  const estimate = useEstimateDeal();
  const estimable = useEstimableParticipants({ limit: 200 }, { enabled: chooseParticipant });
  const people = estimable.data?.items ?? [];
  const [chosenId, setChosenId] = useState<string | null>(null);
  const participantId = fixedId ?? chosenId ?? undefined;
  const [source, setSource] = useState<Source>('deal');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const [closeOn, setCloseOn] = useState('');
  const [product, setProduct] = useState('');
  const [scenario, setScenario] = useState('');
  const [sourcing, setSourcing] = useState<'direct' | 'partner_sourced' | 'partner_influenced'>('direct');
  const [partnerId, setPartnerId] = useState('');
  const [refId, setRefId] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setLocalError(null);
    const cur = currency.trim().toUpperCase();
    const req: EstimateRequest = { ...(participantId ? { participantId } : {}) };
    if (source !== 'deal') req.prefillFrom = { kind: source, id: refId.trim() };
    if (amount.trim() !== '') {
      try {
        req.amountMinor = parseMajorAmount(amount, cur);
      } catch (err) {
        setLocalError(`Amount: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      req.currency = cur;
    }
    if (closeOn) req.closeOn = closeOn;
    if (source === 'deal') {
      if (product.trim()) req.product = product.trim();
      if (scenario.trim()) req.scenario = scenario.trim();
      req.sourcing = sourcing;
      if (sourcing !== 'direct' && partnerId.trim()) req.partnerId = partnerId.trim();
    }
    estimate.mutate(req);
  };

  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="estimate-title">
      <Title id="estimate-title" order={2} fz="md" mb={4}>
        Estimate a deal
      </Title>
      <Text fz="sm" c="dimmed" mb="sm">
        What an open deal would add to {participantName ? `${participantName}’s` : 'your'} pay in the period it closes in: the year so far is calculated twice,
        with and without the deal, exactly as a period run would.
      </Text>
      <form onSubmit={submit} aria-label="Estimate a deal">
        <Stack gap="sm">
          {chooseParticipant && people.length > 1 && (
            <Select
              label="For"
              data={people.map((p) => ({ value: p.id, label: p.own ? `${p.name} (you)` : p.name }))}
              value={chosenId ?? people.find((p) => p.own)?.id ?? null}
              onChange={(v) => {
                setChosenId(v);
                estimate.reset();
              }}
              allowDeselect={false}
              w={320}
              maw="100%"
            />
          )}
          <SegmentedControl
            aria-label="Estimate from"
            value={source}
            onChange={(v) => setSource(v === 'opportunity' ? 'opportunity' : v === 'registration' ? 'registration' : 'deal')}
            data={[
              { value: 'deal', label: 'A deal' },
              { value: 'opportunity', label: 'An opportunity' },
              { value: 'registration', label: 'A registration' },
            ]}
            w="fit-content"
          />
          <Group align="flex-end" gap="sm">
            {source !== 'deal' && (
              <TextInput
                label={source === 'opportunity' ? 'Opportunity id' : 'Registration id'}
                value={refId}
                onChange={(e) => setRefId(e.currentTarget.value)}
                w={330}
                required
              />
            )}
            <TextInput
              label="Deal value"
              description={source === 'deal' ? undefined : 'Leave empty to use its value'}
              placeholder="25000.00"
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.currentTarget.value)}
              required={source === 'deal'}
              w={160}
            />
            <TextInput label="Currency" value={currency} onChange={(e) => setCurrency(e.currentTarget.value)} maxLength={3} w={90} />
            <TextInput label="Closes on" description="Empty: today" type="date" value={closeOn} onChange={(e) => setCloseOn(e.currentTarget.value)} w={170} />
          </Group>
          {source === 'deal' && (
            <Group align="flex-end" gap="sm">
              <TextInput label="Product" value={product} onChange={(e) => setProduct(e.currentTarget.value)} w={160} />
              <TextInput label="Scenario" value={scenario} onChange={(e) => setScenario(e.currentTarget.value)} w={180} />
              <Select
                label="Sourcing"
                value={sourcing}
                onChange={(v) => setSourcing(v === 'partner_sourced' ? 'partner_sourced' : v === 'partner_influenced' ? 'partner_influenced' : 'direct')}
                data={[
                  { value: 'direct', label: 'Direct' },
                  { value: 'partner_sourced', label: 'Partner-sourced' },
                  { value: 'partner_influenced', label: 'Partner-influenced' },
                ]}
                allowDeselect={false}
                w={190}
              />
              {sourcing !== 'direct' && (
                <TextInput label="Partner id" value={partnerId} onChange={(e) => setPartnerId(e.currentTarget.value)} w={330} required />
              )}
            </Group>
          )}
          <Group>
            <Button type="submit" loading={estimate.isPending}>
              Estimate
            </Button>
          </Group>
          {localError && (
            <Alert color="red" variant="light" role="alert" py="xs">
              {localError}
            </Alert>
          )}
          <FormError error={estimate.error} />
        </Stack>
      </form>
      {estimate.data && <EstimateResult estimate={estimate.data} />}
    </Paper>
  );
}

function EstimateResult({ estimate: e }: { estimate: EstimateView }) {
  const cur = e.currency;
  const changed = e.components.filter((c) => c.deltaMinor !== 0 || c.tierCrossed || c.capHit);
  return (
    <Stack gap="sm" mt="md" aria-label="Estimate result" role="region">
      <SimpleGrid cols={{ base: 1, sm: 3 }} role="group" aria-label="Estimate totals">
        <div>
          <Text fz="xs" c="dimmed">
            Would add in {periodLabel(e.period.start, e.period.end)}
          </Text>
          <Text fz="xl" fw={700}>
            {signedMoney(e.deltaMinor, cur)}
          </Text>
        </div>
        <div>
          <Text fz="xs" c="dimmed">
            Period pay without / with the deal
          </Text>
          <Text fw={500}>
            {money(e.before.totalMinor, cur)} → {money(e.after.totalMinor, cur)}
          </Text>
        </div>
        <div>
          <Text fz="xs" c="dimmed">
            Attainment without / with the deal
          </Text>
          <Text fw={500}>
            {percent(e.before.attainmentBps)} → {percent(e.after.attainmentBps)}
          </Text>
        </div>
      </SimpleGrid>
      <Text fz="xs" c="dimmed">
        {e.participantName} · plan {e.plan.planKey} v{e.plan.version} · deal {money(e.deal.amountMinor, e.deal.currency)} closing {e.deal.closeOn}
        {e.deal.prefilledFrom ? ` (from ${e.deal.prefilledFrom.label})` : ''}
        {e.fx ? ` · converted at ${e.fx.rate} ${e.fx.from}/${cur} (rate of ${e.fx.on})` : ''}
      </Text>
      <Table fz="sm" aria-label="Estimate by component" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Component</Table.Th>
            <ComparisonHeads />
            <Table.Th scope="col">Why</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {changed.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={5}>
                <Text fz="sm" c="dimmed">
                  The deal changes no component of this period.
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : (
            changed.map((c) => (
              <Table.Tr key={c.componentKey}>
                <Table.Th scope="row" fw={500}>
                  {c.componentName}
                  <Group gap={4} mt={2}>
                    {c.tierCrossed && (
                      <Badge size="xs" variant="light" color="teal">
                        Band {band(c.tierCrossed.from)} → {band(c.tierCrossed.to)}
                      </Badge>
                    )}
                    {c.capHit && (
                      <Badge size="xs" variant="light" color="red">
                        Cap reached
                      </Badge>
                    )}
                  </Group>
                </Table.Th>
                <ComparisonCells beforeMinor={c.beforeMinor} afterMinor={c.afterMinor} deltaMinor={c.deltaMinor} currency={cur} />
                <Table.Td>
                  {c.lines.map((l, i) => (
                    <Text key={i} fz="xs">
                      {l.explanation}
                    </Text>
                  ))}
                </Table.Td>
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
      {e.laterPeriods.length > 0 && <LaterPeriods estimate={e} />}
      {(e.others.length > 0 || e.hiddenOthers > 0) && (
        <div>
          <Text fz="sm" fw={500}>
            Also credited
          </Text>
          {e.others.map((o) => (
            <Text key={`${o.participantId}|${o.kind}`} fz="sm">
              {o.name}: {o.kind} credit {money(o.creditMinor, o.currency)}{' '}
              <Text span fz="xs" c="dimmed">
                ({o.rule})
              </Text>
            </Text>
          ))}
          {e.hiddenOthers > 0 && (
            <Text fz="xs" c="dimmed">
              and {e.hiddenOthers} other participant{e.hiddenOthers === 1 ? '' : 's'} (split, overlay or roll-up).
            </Text>
          )}
        </div>
      )}
      {e.notes.map((n) => (
        <Text key={n} fz="xs" c="dimmed">
          {n}
        </Text>
      ))}
    </Stack>
  );
}

/** The header cells of a comparison: without the deal, with it, and the difference. */
function ComparisonHeads() {
  return (
    <>
      <Table.Th scope="col" ta="right">
        Without
      </Table.Th>
      <Table.Th scope="col" ta="right">
        With the deal
      </Table.Th>
      <Table.Th scope="col" ta="right">
        Difference
      </Table.Th>
    </>
  );
}

/** The cells under ComparisonHeads. */
function ComparisonCells(p: { beforeMinor: number; afterMinor: number; deltaMinor: number; currency: string }) {
  return (
    <>
      <Table.Td ta="right">{money(p.beforeMinor, p.currency)}</Table.Td>
      <Table.Td ta="right">{money(p.afterMinor, p.currency)}</Table.Td>
      <Table.Td ta="right" fw={600}>
        {signedMoney(p.deltaMinor, p.currency)}
      </Table.Td>
    </>
  );
}

/** The later payout periods of the fiscal year the deal changes (year-to-date tiers and true-ups, draw recovery), and the year's total. */
function LaterPeriods({ estimate: e }: { estimate: EstimateView }) {
  const cur = e.currency;
  return (
    <div>
      <Text fz="sm" fw={500} id="estimate-later-title">
        Later periods of the fiscal year
      </Text>
      <Text fz="xs" c="dimmed" mb={4}>
        The deal carries into these periods too. Over the year it adds {signedMoney(e.yearDeltaMinor, cur)}.
      </Text>
      <Table fz="sm" aria-labelledby="estimate-later-title" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Period</Table.Th>
            <ComparisonHeads />
            <Table.Th scope="col">Year to date</Table.Th>
            <Table.Th scope="col">Why</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th scope="row" fw={500}>
              {periodLabel(e.period.start, e.period.end)} (the deal’s)
            </Table.Th>
            <ComparisonCells beforeMinor={e.before.totalMinor} afterMinor={e.after.totalMinor} deltaMinor={e.deltaMinor} currency={cur} />
            <Table.Td>
              {percent(e.before.ytdAttainmentBps)} → {percent(e.after.ytdAttainmentBps)}
            </Table.Td>
            <Table.Td />
          </Table.Tr>
          {e.laterPeriods.map((p) => (
            <Table.Tr key={p.period.start}>
              <Table.Th scope="row" fw={500}>
                {periodLabel(p.period.start, p.period.end)}
              </Table.Th>
              <ComparisonCells beforeMinor={p.before.totalMinor} afterMinor={p.after.totalMinor} deltaMinor={p.deltaMinor} currency={cur} />
              <Table.Td>
                {percent(p.before.ytdAttainmentBps)} → {percent(p.after.ytdAttainmentBps)}
              </Table.Td>
              <Table.Td>
                {p.components
                  .filter((c) => c.deltaMinor !== 0)
                  .map((c) => (
                    <Text key={c.componentKey} fz="xs">
                      {c.componentName} {signedMoney(c.deltaMinor, cur)}
                      {c.tierCrossed ? ` (band ${band(c.tierCrossed.from)} → ${band(c.tierCrossed.to)})` : ''}
                    </Text>
                  ))}
              </Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th scope="row">Fiscal year</Table.Th>
            <Table.Td />
            <Table.Td />
            <Table.Td ta="right" fw={700}>
              {signedMoney(e.yearDeltaMinor, cur)}
            </Table.Td>
            <Table.Td />
            <Table.Td />
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </div>
  );
}
