import { Group, Radio, Select, SimpleGrid, Stack, Switch, Text, TextInput, Textarea } from '@mantine/core';
import type {
  AccountabilityComponent,
  BonusComponent,
  CommissionComponent,
  DrawComponent,
  PlanComponent,
  SpiffComponent,
  TieredComponent,
} from '../../../../../common/comp/plan.ts';
import { useIssueAt } from '../plan-issues.ts';
import { MoneyInput, MultiplierInput, PercentInput, PlainNumberInput, PlanTextInput } from './plan-fields.tsx';
import { CreditFilterFields, GateFields, IssueText, RowsTable, StepTable, TierTable } from './plan-parts.tsx';

type FormProps<C> = { path: string; value: C; currency: string; onChange: (c: C) => void };

/** Name, key and description: common to every component. */
function Identity<C extends PlanComponent>({ path, value, onChange }: Omit<FormProps<C>, 'currency'>) {
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <PlanTextInput label="Name" path={`${path}.name`} value={value.name} onChange={(e) => onChange({ ...value, name: e.currentTarget.value })} required />
        <PlanTextInput
          label="Key"
          description="Lower case, used in statements and files"
          path={`${path}.key`}
          value={value.key}
          onChange={(e) => onChange({ ...value, key: e.currentTarget.value })}
          required
        />
      </SimpleGrid>
      <Textarea
        label="Description"
        autosize
        minRows={1}
        maxRows={4}
        value={value.description}
        onChange={(e) => onChange({ ...value, description: e.currentTarget.value })}
        error={useIssueAt(`${path}.description`)}
      />
    </Stack>
  );
}

function PartnerMultipliers<C extends CommissionComponent | TieredComponent>({ path, value, onChange }: Omit<FormProps<C>, 'currency'>) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      <MultiplierInput
        label="Pay on partner-sourced credit at"
        description="1.2 x pays sellers 20 % more for bringing partners in"
        path={`${path}.partnerSourcedMultiplierBps`}
        value={value.partnerSourcedMultiplierBps}
        onChange={(v) => onChange({ ...value, partnerSourcedMultiplierBps: v })}
      />
      <MultiplierInput
        label="Pay on partner-influenced credit at"
        path={`${path}.partnerInfluencedMultiplierBps`}
        value={value.partnerInfluencedMultiplierBps}
        onChange={(v) => onChange({ ...value, partnerInfluencedMultiplierBps: v })}
      />
    </SimpleGrid>
  );
}

function Cap({
  path,
  value,
  currency,
  onChange,
  label,
}: {
  path: string;
  value: number | null;
  currency: string;
  onChange: (v: number | null) => void;
  label: string;
}) {
  return (
    <MoneyInput
      label={label}
      description="Empty: no cap"
      placeholder="No cap"
      path={path}
      currency={currency}
      nullable
      value={value}
      onChange={onChange}
      maw={320}
    />
  );
}

function CommissionForm({ path, value, currency, onChange }: FormProps<CommissionComponent>) {
  return (
    <Stack gap="md">
      <Identity path={path} value={value} onChange={onChange} />
      <CreditFilterFields
        legend="Which credit it pays on"
        path={`${path}.credits`}
        value={value.credits}
        onChange={(credits) => onChange({ ...value, credits })}
      />
      <PercentInput
        label="Commission rate"
        description="Paid on credited value when no rate table entry below matches"
        path={`${path}.rateBps`}
        value={value.rateBps}
        onChange={(rateBps) => onChange({ ...value, rateBps })}
        maw={280}
      />
      <Stack gap={4}>
        <Text fw={600} fz="sm">
          Rates by product, scenario or segment
        </Text>
        <Text fz="xs" c="dimmed">
          The most specific matching row wins; empty cells match anything.
        </Text>
        <RowsTable
          label="Rate table"
          path={`${path}.rateTable`}
          rows={value.rateTable}
          headers={['Product', 'Scenario', 'Segment', 'Rate']}
          addLabel="Add rate"
          onAdd={() => onChange({ ...value, rateTable: [...value.rateTable, { product: null, scenario: null, segment: null, rateBps: value.rateBps }] })}
          onRemove={(i) => onChange({ ...value, rateTable: value.rateTable.filter((_, j) => j !== i) })}
          renderRow={(e, i) => {
            const set = (patch: Partial<typeof e>) => onChange({ ...value, rateTable: value.rateTable.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
            const text = (field: 'product' | 'scenario' | 'segment') => (
              <RateCell
                key={field}
                path={`${path}.rateTable[${i}].${field}`}
                label={`Rate ${i + 1} ${field}`}
                value={e[field]}
                onChange={(v) => set({ [field]: v })}
              />
            );
            return [
              text('product'),
              text('scenario'),
              text('segment'),
              <PercentInput
                key="rate"
                aria-label={`Rate ${i + 1} rate`}
                path={`${path}.rateTable[${i}].rateBps`}
                value={e.rateBps}
                onChange={(rateBps) => set({ rateBps })}
              />,
            ];
          }}
        />
        {value.rateTable.map((_, i) => (
          <IssueText key={i} path={`${path}.rateTable[${i}]`} />
        ))}
      </Stack>
      <PartnerMultipliers path={path} value={value} onChange={onChange} />
      <Stack gap={4}>
        <Text fw={600} fz="sm">
          Multiplier by quota attainment
        </Text>
        <Text fz="xs" c="dimmed">
          Applied to the whole commission by the attainment reached in the period. None: always 1 x.
        </Text>
        <StepTable
          label="Attainment multipliers"
          path={`${path}.attainmentMultipliers`}
          steps={value.attainmentMultipliers}
          valueField="multiplierBps"
          valueHeader="Multiplier"
          unit="multiplier"
          template={(fromBps) => ({ fromBps, multiplierBps: 10_000 })}
          onChange={(attainmentMultipliers) => onChange({ ...value, attainmentMultipliers })}
        />
      </Stack>
      <GateFields path={`${path}.gate`} gate={value.gate} onChange={(gate) => onChange({ ...value, gate })} />
      <Cap
        label="Most it pays in a payout period"
        path={`${path}.capMinor`}
        value={value.capMinor}
        currency={currency}
        onChange={(capMinor) => onChange({ ...value, capMinor })}
      />
    </Stack>
  );
}

function RateCell({ path, label, value, onChange }: { path: string; label: string; value: string | null; onChange: (v: string | null) => void }) {
  const error = useIssueAt(path);
  return (
    <TextInput
      aria-label={label}
      placeholder="Any"
      value={value ?? ''}
      error={error}
      onChange={(e) => onChange(e.currentTarget.value === '' ? null : e.currentTarget.value)}
    />
  );
}

const modeHelp: Record<TieredComponent['mode'], string> = {
  marginal: 'Each band of attainment pays its own rate on the credit inside that band (cumulative).',
  flat: 'The rate of the band reached pays all credit in the window.',
  retroactive: 'A base rate times the multiplier of the band reached, applied back to the first unit of credit (accelerators and decelerators).',
};

function TieredForm({ path, value, currency, onChange }: FormProps<TieredComponent>) {
  const setMode = (mode: TieredComponent['mode']) => {
    if (mode === value.mode) return;
    if (mode === 'retroactive') {
      // Rates become multipliers on a base rate (the first band's rate).
      const base = value.tiers[0]?.rateBps || 300;
      onChange({ ...value, mode, baseRateBps: base, tiers: value.tiers.map((t) => ({ ...t, rateBps: Math.round((t.rateBps / base) * 10_000) })) });
    } else if (value.mode === 'retroactive') {
      const base = value.baseRateBps ?? 0;
      onChange({ ...value, mode, baseRateBps: null, tiers: value.tiers.map((t) => ({ ...t, rateBps: Math.round((base * t.rateBps) / 10_000) })) });
    } else onChange({ ...value, mode });
  };
  return (
    <Stack gap="md">
      <Identity path={path} value={value} onChange={onChange} />
      <CreditFilterFields
        legend="Which credit it pays on"
        path={`${path}.credits`}
        value={value.credits}
        onChange={(credits) => onChange({ ...value, credits })}
      />
      <Radio.Group label="How the tiers pay" value={value.mode} onChange={(m) => setMode(m)}>
        <Stack gap={6} mt={6}>
          <Radio value="marginal" label="Each band its own rate" description={modeHelp.marginal} />
          <Radio value="flat" label="The band reached pays all credit" description={modeHelp.flat} />
          <Radio value="retroactive" label="Base rate × multiplier of the band reached" description={modeHelp.retroactive} />
        </Stack>
      </Radio.Group>
      <Group align="flex-start" gap="sm">
        <Select
          label="Attainment measured over"
          data={[
            { value: 'period', label: 'The payout period' },
            { value: 'year_to_date', label: 'The fiscal year to date' },
          ]}
          value={value.window}
          onChange={(w) => w && onChange({ ...value, window: w })}
          allowDeselect={false}
          error={useIssueAt(`${path}.window`)}
          maw={280}
        />
        {value.mode === 'retroactive' && (
          <PercentInput
            label="Base rate"
            path={`${path}.baseRateBps`}
            nullable
            value={value.baseRateBps}
            onChange={(baseRateBps) => onChange({ ...value, baseRateBps })}
            maw={200}
          />
        )}
      </Group>
      {value.mode !== 'retroactive' && <IssueText path={`${path}.baseRateBps`} />}
      <Stack gap={4}>
        <Text fw={600} fz="sm">
          Tiers by quota attainment
        </Text>
        <Text fz="xs" c="dimmed">
          Bands must not overlap or leave gaps; the first starts at 0 % and the last has no upper end. Attainment exactly on a boundary belongs to the higher
          band.
        </Text>
        <TierTable path={`${path}.tiers`} tiers={value.tiers} multiplier={value.mode === 'retroactive'} onChange={(tiers) => onChange({ ...value, tiers })} />
      </Stack>
      <PartnerMultipliers path={path} value={value} onChange={onChange} />
      <GateFields path={`${path}.gate`} gate={value.gate} onChange={(gate) => onChange({ ...value, gate })} />
      <Cap
        label="Most it pays in a payout period"
        path={`${path}.capMinor`}
        value={value.capMinor}
        currency={currency}
        onChange={(capMinor) => onChange({ ...value, capMinor })}
      />
    </Stack>
  );
}

function BonusForm({ path, value, currency, onChange }: FormProps<BonusComponent>) {
  return (
    <Stack gap="md">
      <Identity path={path} value={value} onChange={onChange} />
      <MoneyInput
        label="Target incentive"
        description="What the bonus pays at 100 % of its schedule"
        path={`${path}.targetIncentiveMinor`}
        currency={currency}
        value={value.targetIncentiveMinor}
        onChange={(targetIncentiveMinor) => onChange({ ...value, targetIncentiveMinor })}
        maw={320}
      />
      <Stack gap={4}>
        <Text fw={600} fz="sm">
          Schedule
        </Text>
        <Text fz="xs" c="dimmed">
          From each attainment reached, this share of the target incentive (steps, not added up).
        </Text>
        <StepTable
          label="Bonus schedule"
          path={`${path}.schedule`}
          steps={value.schedule}
          valueField="payoutBps"
          valueHeader="Share of target incentive"
          unit="percent"
          minRows={1}
          template={(fromBps) => ({ fromBps, payoutBps: 10_000 })}
          onChange={(schedule) => onChange({ ...value, schedule })}
        />
      </Stack>
      <GateFields path={`${path}.gate`} gate={value.gate} onChange={(gate) => onChange({ ...value, gate })} />
    </Stack>
  );
}

function AccountabilityForm({ path, value, currency, onChange }: FormProps<AccountabilityComponent>) {
  return (
    <Stack gap="md">
      <Identity path={path} value={value} onChange={onChange} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <PlanTextInput
          label="Metric key"
          description="The scorecards measure, e.g. registrations_answered_within_sla_pct"
          path={`${path}.metric`}
          value={value.metric}
          onChange={(e) => onChange({ ...value, metric: e.currentTarget.value })}
        />
        <Select
          label="Better is"
          data={[
            { value: 'higher_is_better', label: 'Higher (more is better)' },
            { value: 'lower_is_better', label: 'Lower (less is better)' },
          ]}
          value={value.direction}
          allowDeselect={false}
          onChange={(d) => d && onChange({ ...value, direction: d })}
        />
        <PlainNumberInput label="Target" path={`${path}.target`} value={value.target} onChange={(target) => onChange({ ...value, target })} />
        <MoneyInput
          label="Target incentive"
          description="Paid at 100 % achievement"
          path={`${path}.targetIncentiveMinor`}
          currency={currency}
          value={value.targetIncentiveMinor}
          onChange={(targetIncentiveMinor) => onChange({ ...value, targetIncentiveMinor })}
        />
        <PercentInput
          label="Threshold"
          description="Achievement below this pays nothing"
          path={`${path}.thresholdBps`}
          value={value.thresholdBps}
          onChange={(thresholdBps) => onChange({ ...value, thresholdBps })}
        />
        <PercentInput
          label="Cap on achievement"
          description="Achievement above this is paid as this"
          path={`${path}.capBps`}
          value={value.capBps}
          onChange={(capBps) => onChange({ ...value, capBps })}
        />
      </SimpleGrid>
      <GateFields path={`${path}.gate`} gate={value.gate} onChange={(gate) => onChange({ ...value, gate })} />
    </Stack>
  );
}

function SpiffForm({ path, value, currency, onChange }: FormProps<SpiffComponent>) {
  return (
    <Stack gap="md">
      <Identity path={path} value={value} onChange={onChange} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <PlanTextInput
          type="date"
          label="From"
          path={`${path}.from`}
          value={value.from}
          onChange={(e) => onChange({ ...value, from: e.currentTarget.value })}
        />
        <PlanTextInput
          type="date"
          label="Until (first day no longer in the SPIFF)"
          path={`${path}.to`}
          value={value.to}
          onChange={(e) => onChange({ ...value, to: e.currentTarget.value })}
        />
      </SimpleGrid>
      <CreditFilterFields legend="Which deals qualify" path={`${path}.credits`} value={value.credits} onChange={(credits) => onChange({ ...value, credits })} />
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <MoneyInput
          label="Pays per deal"
          path={`${path}.perDealMinor`}
          currency={currency}
          value={value.perDealMinor}
          onChange={(perDealMinor) => onChange({ ...value, perDealMinor })}
        />
        <PercentInput label="Pays a rate on credit" path={`${path}.rateBps`} value={value.rateBps} onChange={(rateBps) => onChange({ ...value, rateBps })} />
        <MoneyInput
          label="Smallest deal that counts"
          path={`${path}.minDealValueMinor`}
          currency={currency}
          value={value.minDealValueMinor}
          onChange={(minDealValueMinor) => onChange({ ...value, minDealValueMinor })}
        />
      </SimpleGrid>
      <Cap
        label="Most it pays in a payout period"
        path={`${path}.capMinor`}
        value={value.capMinor}
        currency={currency}
        onChange={(capMinor) => onChange({ ...value, capMinor })}
      />
    </Stack>
  );
}

function DrawForm({ path, value, currency, onChange }: FormProps<DrawComponent>) {
  return (
    <Stack gap="md">
      <Identity path={path} value={value} onChange={onChange} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <MoneyInput
          label="Draw per payout period"
          path={`${path}.amountMinor`}
          currency={currency}
          value={value.amountMinor}
          onChange={(amountMinor) => onChange({ ...value, amountMinor })}
        />
        <PlainNumberInput
          label="Guaranteed periods at the start"
          description="Top-ups in these periods are never recovered"
          path={`${path}.guaranteePeriods`}
          value={value.guaranteePeriods}
          onChange={(guaranteePeriods) => onChange({ ...value, guaranteePeriods })}
          allowDecimal={false}
          min={0}
          max={24}
        />
      </SimpleGrid>
      <Switch
        label="Recoverable: paid back from later earnings above the draw"
        checked={value.recoverable}
        onChange={(e) => onChange({ ...value, recoverable: e.currentTarget.checked })}
      />
      {value.recoverable && (
        <PercentInput
          label="Share of earnings above the draw used to pay it back"
          path={`${path}.recoveryBps`}
          value={value.recoveryBps}
          onChange={(recoveryBps) => onChange({ ...value, recoveryBps })}
          maw={360}
        />
      )}
    </Stack>
  );
}

/** The form of one component, by its kind. */
export function ComponentForm({ path, value, currency, onChange }: FormProps<PlanComponent>) {
  switch (value.kind) {
    case 'commission':
      return <CommissionForm path={path} value={value} currency={currency} onChange={onChange} />;
    case 'tiered':
      return <TieredForm path={path} value={value} currency={currency} onChange={onChange} />;
    case 'bonus':
      return <BonusForm path={path} value={value} currency={currency} onChange={onChange} />;
    case 'accountability':
      return <AccountabilityForm path={path} value={value} currency={currency} onChange={onChange} />;
    case 'spiff':
      return <SpiffForm path={path} value={value} currency={currency} onChange={onChange} />;
    case 'draw':
      return <DrawForm path={path} value={value} currency={currency} onChange={onChange} />;
  }
}
