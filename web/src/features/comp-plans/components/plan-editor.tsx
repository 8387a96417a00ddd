import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Menu,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconChevronDown, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo } from 'react';
import { componentKinds, type PlanComponent, type PlanDocument } from '../../../../../common/comp/plan.ts';
import { roundingModes } from '../../../../../common/money.ts';
import { monthNames } from '../plan-format.ts';
import { indexIssues, mergeIssues, type PlanIssue, PlanIssuesContext, useIssueAt, validatePlan } from '../plan-issues.ts';
import { componentKindHelp, componentKindLabels, componentTemplate } from '../plan-templates.ts';
import { ComponentForm } from './component-forms.tsx';
import { MoneyInput, MultiplierInput, PlainNumberInput, PlanTextInput } from './plan-fields.tsx';
import { CreditFilterFields, IssueText } from './plan-parts.tsx';

const roundingLabels: Record<(typeof roundingModes)[number], string> = {
  half_even: 'To the nearest cent, halves to even (banker’s rounding)',
  half_up: 'To the nearest cent, halves up',
  down: 'Always down',
  up: 'Always up',
};

const currencies = (() => {
  try {
    return Intl.supportedValuesOf('currency');
  } catch {
    return ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'JPY', 'AUD', 'CAD'];
  }
})();

/** The live problems of the plan, each with its path, above the form. */
export function PlanIssueSummary({ issues }: { issues: readonly PlanIssue[] }) {
  if (issues.length === 0)
    return (
      <Alert color="green" variant="light" role="status" py="xs">
        <Text fz="sm">No problems: this plan is complete and consistent.</Text>
      </Alert>
    );
  return (
    <Alert color="orange" variant="light" role="status" title={`${issues.length} problem${issues.length === 1 ? '' : 's'} to fix`}>
      <List size="sm" spacing={2} aria-label="Problems">
        {issues.map((i) => (
          <List.Item key={`${i.path}:${i.message}`}>
            <Text span fz="sm" ff="monospace">
              {i.path || 'plan'}
            </Text>
            : {i.message}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={title}>
      <Title order={3} fz="md" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function HeaderFields({ value, onChange }: { value: PlanDocument; onChange: (p: PlanDocument) => void }) {
  const currencyError = useIssueAt('currency');
  const periodError = useIssueAt('payoutPeriod');
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <PlanTextInput label="Plan name" path="name" required value={value.name} onChange={(e) => onChange({ ...value, name: e.currentTarget.value })} />
        <PlanTextInput
          label="Plan key"
          description="Lower case, unique: used in files and statements"
          path="key"
          required
          value={value.key}
          onChange={(e) => onChange({ ...value, key: e.currentTarget.value })}
        />
      </SimpleGrid>
      <Textarea
        label="Description"
        autosize
        minRows={1}
        maxRows={6}
        value={value.description}
        onChange={(e) => onChange({ ...value, description: e.currentTarget.value })}
        error={useIssueAt('description')}
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <Select
          label="Currency"
          searchable
          data={currencies}
          value={value.currency}
          allowDeselect={false}
          onChange={(c) => c && onChange({ ...value, currency: c })}
          error={currencyError}
          comboboxProps={{ withinPortal: true }}
        />
        <PlanTextInput
          type="date"
          label="In force from"
          path="effectiveFrom"
          value={value.effectiveFrom}
          onChange={(e) => onChange({ ...value, effectiveFrom: e.currentTarget.value })}
        />
        <PlanTextInput
          type="date"
          label="Until (first day no longer in force)"
          description="Empty: open-ended"
          path="effectiveTo"
          value={value.effectiveTo ?? ''}
          onChange={(e) => onChange({ ...value, effectiveTo: e.currentTarget.value || null })}
        />
        <Select
          label="Pays every"
          data={[
            { value: 'month', label: 'Month' },
            { value: 'quarter', label: 'Quarter' },
            { value: 'year', label: 'Year' },
          ]}
          value={value.payoutPeriod}
          allowDeselect={false}
          onChange={(p) => p && onChange({ ...value, payoutPeriod: p })}
          error={periodError}
        />
        <Select
          label="Fiscal year starts in"
          data={monthNames.map((m, i) => ({ value: String(i + 1), label: m }))}
          value={String(value.fiscalYearStartMonth)}
          allowDeselect={false}
          onChange={(m) => m && onChange({ ...value, fiscalYearStartMonth: Number(m) })}
        />
        <MoneyInput
          label="Most the plan pays in a period"
          description="Draws aside. Empty: no plan-wide cap"
          placeholder="No cap"
          path="periodCapMinor"
          currency={value.currency}
          nullable
          value={value.periodCapMinor}
          onChange={(periodCapMinor) => onChange({ ...value, periodCapMinor })}
        />
      </SimpleGrid>
      <Select
        label="Rounding (once per payout line)"
        data={roundingModes.map((r) => ({ value: r, label: roundingLabels[r] }))}
        value={value.rounding}
        allowDeselect={false}
        onChange={(r) => r && onChange({ ...value, rounding: r })}
        maw={420}
      />
    </Stack>
  );
}

function QuotaFields({ value, onChange }: { value: PlanDocument; onChange: (p: PlanDocument) => void }) {
  return (
    <Stack gap="sm">
      <CreditFilterFields
        legend="What counts towards quota"
        path="quota.credits"
        value={value.quota.credits}
        onChange={(credits) => onChange({ ...value, quota: { ...value.quota, credits } })}
      />
      <Select
        label="Someone who joins or leaves mid-period"
        data={[
          { value: 'daily', label: 'Has their quota prorated by days active' },
          { value: 'none', label: 'Keeps the full quota' },
        ]}
        value={value.quota.proration}
        allowDeselect={false}
        onChange={(p) => p && onChange({ ...value, quota: { ...value.quota, proration: p } })}
        maw={420}
      />
    </Stack>
  );
}

function CreditingFields({ value, onChange }: { value: PlanDocument; onChange: (p: PlanDocument) => void }) {
  const c = value.crediting;
  const set = (patch: Partial<PlanDocument['crediting']>) => onChange({ ...value, crediting: { ...c, ...patch } });
  const partnerError = useIssueAt('crediting.partnerCredit');
  return (
    <Stack gap="sm">
      <Radio.Group
        label="Who decides the direct seller’s credit on partner deals"
        value={c.partnerCredit}
        error={partnerError}
        onChange={(v) =>
          v === 'rules_of_the_road'
            ? set({ partnerCredit: 'rules_of_the_road', directSellerCredit: 'full', partnerSourcedCreditBps: 10_000, partnerInfluencedCreditBps: 10_000 })
            : set({ partnerCredit: 'plan' })
        }
      >
        <Stack gap={6} mt={6}>
          <Radio value="rules_of_the_road" label="The rules of the road in force (one rule set for registration and crediting)" />
          <Radio value="plan" label="This plan" />
        </Stack>
      </Radio.Group>
      {c.partnerCredit === 'plan' && (
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <Select
            label="Direct sellers on a partner deal get"
            data={[
              { value: 'full', label: 'Their full share' },
              { value: 'split', label: 'Half the value, shared' },
              { value: 'none', label: 'No credit' },
            ]}
            value={c.directSellerCredit}
            allowDeselect={false}
            onChange={(d) => d && set({ directSellerCredit: d })}
          />
          <MultiplierInput
            label="Credit on partner-sourced deals"
            path="crediting.partnerSourcedCreditBps"
            value={c.partnerSourcedCreditBps}
            onChange={(partnerSourcedCreditBps) => set({ partnerSourcedCreditBps })}
          />
          <MultiplierInput
            label="Credit on partner-influenced deals"
            path="crediting.partnerInfluencedCreditBps"
            value={c.partnerInfluencedCreditBps}
            onChange={(partnerInfluencedCreditBps) => set({ partnerInfluencedCreditBps })}
          />
        </SimpleGrid>
      )}
      <Select
        label="Managers credited with their team’s deals"
        data={[
          { value: '0', label: 'None' },
          { value: '1', label: 'The seller’s manager' },
          { value: '2', label: 'Two levels up' },
          { value: '3', label: 'Three levels up' },
        ]}
        value={String(c.rollupLevels)}
        allowDeselect={false}
        onChange={(r) => r && set({ rollupLevels: Number(r) })}
        maw={320}
      />
    </Stack>
  );
}

function ClawbackFields({ value, onChange }: { value: PlanDocument; onChange: (p: PlanDocument) => void }) {
  const cb = value.clawback;
  return (
    <Group align="flex-start" gap="sm">
      <Select
        label="Refunds and cancellations"
        data={[
          { value: 'full', label: 'Are clawed back in full' },
          { value: 'within_days', label: 'Are clawed back within a number of days of the sale' },
          { value: 'none', label: 'Are never clawed back' },
        ]}
        value={cb.policy}
        allowDeselect={false}
        onChange={(p) => p && onChange({ ...value, clawback: { policy: p, withinDays: p === 'within_days' ? (cb.withinDays ?? 90) : null } })}
        w={420}
      />
      {cb.policy === 'within_days' && (
        <PlainNumberInput
          label="Days after the sale"
          path="clawback.withinDays"
          nullable
          value={cb.withinDays}
          allowDecimal={false}
          onChange={(withinDays) => onChange({ ...value, clawback: { ...cb, withinDays } })}
          w={180}
        />
      )}
    </Group>
  );
}

function ComponentCard({
  index,
  count,
  value,
  currency,
  onChange,
  onMove,
  onRemove,
}: {
  index: number;
  count: number;
  value: PlanComponent;
  currency: string;
  onChange: (c: PlanComponent) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  const path = `components[${index}]`;
  const title = value.name.trim() || value.key || `Component ${index + 1}`;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={`Component ${index + 1}: ${title}`}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Group gap="xs" wrap="nowrap">
          <Title order={4} fz="sm">
            {index + 1}. {title}
          </Title>
          <Badge variant="light">{componentKindLabels[value.kind]}</Badge>
        </Group>
        <Group gap={4} wrap="nowrap">
          <Tooltip label="Move up">
            <ActionIcon variant="subtle" aria-label={`Move ${title} up`} disabled={index === 0} onClick={() => onMove(-1)}>
              <IconArrowUp size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Move down">
            <ActionIcon variant="subtle" aria-label={`Move ${title} down`} disabled={index === count - 1} onClick={() => onMove(1)}>
              <IconArrowDown size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Remove component">
            <ActionIcon variant="subtle" color="red" aria-label={`Remove ${title}`} onClick={onRemove}>
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
      <IssueText path={path} />
      <ComponentForm path={path} value={value} currency={currency} onChange={onChange} />
    </Paper>
  );
}

/**
 * The plan editor: a controlled form over one PlanDocument, validated live with the plan model
 * (planDocument.safeParse): every problem at its field and in a list with its path. Server issues
 * (from the last save) are shown beside the live ones until the plan no longer has them.
 */
export function PlanEditor({
  value,
  onChange,
  readOnly = false,
  serverIssues = [],
}: {
  value: PlanDocument;
  onChange: (plan: PlanDocument) => void;
  readOnly?: boolean;
  serverIssues?: readonly PlanIssue[];
}) {
  const live = useMemo(() => validatePlan(value), [value]);
  const issues = useMemo(() => mergeIssues(live, serverIssues), [live, serverIssues]);
  const index = useMemo(() => indexIssues(issues), [issues]);
  const setComponents = (components: PlanComponent[]) => onChange({ ...value, components });
  const add = (kind: PlanComponent['kind']) => setComponents([...value.components, componentTemplate(kind, value)]);

  return (
    <PlanIssuesContext value={index}>
      <Stack gap="md">
        <PlanIssueSummary issues={issues} />
        <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
          <Stack gap="md">
            <Section title="Plan">
              <HeaderFields value={value} onChange={onChange} />
            </Section>
            <Section title="Quota">
              <QuotaFields value={value} onChange={onChange} />
            </Section>
            <Section title="Crediting">
              <CreditingFields value={value} onChange={onChange} />
            </Section>
            <Section title="Clawback">
              <ClawbackFields value={value} onChange={onChange} />
            </Section>
            <Stack gap="sm" component="section" aria-label="Components">
              <Group justify="space-between">
                <Title order={3} fz="md">
                  Components
                </Title>
                {!readOnly && (
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <Button leftSection={<IconPlus size={16} aria-hidden />} rightSection={<IconChevronDown size={14} aria-hidden />} variant="light">
                        Add component
                      </Button>
                    </Menu.Target>
                    <Menu.Dropdown>
                      {componentKinds.map((k) => (
                        <Menu.Item key={k} onClick={() => add(k)}>
                          <Text fz="sm" fw={600}>
                            {componentKindLabels[k]}
                          </Text>
                          <Text fz="xs" c="dimmed" maw={300}>
                            {componentKindHelp[k]}
                          </Text>
                        </Menu.Item>
                      ))}
                    </Menu.Dropdown>
                  </Menu>
                )}
              </Group>
              <IssueText path="components" />
              {value.components.length === 0 && (
                <Text fz="sm" c="dimmed">
                  No components yet.{' '}
                  {!readOnly && (
                    <Anchor component="button" type="button" fz="sm" onClick={() => add('commission')}>
                      Start with a commission
                    </Anchor>
                  )}
                </Text>
              )}
              {value.components.map((c, i) => (
                <ComponentCard
                  key={i}
                  index={i}
                  count={value.components.length}
                  value={c}
                  currency={value.currency}
                  onChange={(next) => setComponents(value.components.map((x, j) => (j === i ? next : x)))}
                  onRemove={() => setComponents(value.components.filter((_, j) => j !== i))}
                  onMove={(delta) => {
                    const next = [...value.components];
                    const [moved] = next.splice(i, 1);
                    if (moved) next.splice(i + delta, 0, moved);
                    setComponents(next);
                  }}
                />
              ))}
            </Stack>
          </Stack>
        </fieldset>
      </Stack>
    </PlanIssuesContext>
  );
}
