import { Button, Group, MultiSelect, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { PlanSummary } from '../../../../../common/api/comp-plans.ts';
import type { CreateSimulationRequest } from '../../../../../common/api/comp-simulation.ts';
import { MAX_CANDIDATES } from '../../../../../common/api/comp-simulation.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { previousQuarter } from '../simulation-format.ts';

type VersionOption = { value: string; label: string; currency: string };

/** Every plan's published version and its open one (draft, in approval or approved), as choices. */
export function versionOptions(plans: readonly PlanSummary[]): VersionOption[] {
  return plans.flatMap((p) => [
    ...(p.published ? [{ value: p.published.id, label: `${p.name} · v${p.published.version} (published)`, currency: p.currency }] : []),
    ...(p.open ? [{ value: p.open.id, label: `${p.name} · v${p.open.version} (${p.open.status.replace('_', ' ')})`, currency: p.currency }] : []),
  ]);
}

const periodPattern = /^\d{4}(?:-(?:Q[1-4]|0[1-9]|1[0-2]))?$/;

export function SimulationForm({
  plans,
  pending,
  error,
  onRun,
}: {
  plans: readonly PlanSummary[];
  pending: boolean;
  error: unknown;
  onRun: (request: CreateSimulationRequest) => void;
}) {
  const options = useMemo(() => versionOptions(plans), [plans]);
  const [baseline, setBaseline] = useState<string | null>(null);
  const [candidates, setCandidates] = useState<string[]>([]);
  const [period, setPeriod] = useState(() => previousQuarter(new Date()));
  const baseCurrency = options.find((o) => o.value === baseline)?.currency ?? null;
  const candidateOptions = options.filter((o) => o.value !== baseline && (baseCurrency === null || o.currency === baseCurrency));
  const periodError = periodPattern.test(period.trim()) ? null : 'Write a year (2027), a quarter (2027-Q1) or a month (2027-03)';
  const ready = baseline !== null && candidates.length > 0 && periodError === null;

  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="simulation-form-title">
      <Text id="simulation-form-title" fw={600} mb="xs">
        Run a simulation
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) onRun({ baselineVersionId: baseline, candidateVersionIds: candidates, period: period.trim() });
        }}
      >
        <Stack gap="sm">
          <Group grow align="flex-start">
            <Select
              label="Current plan (baseline)"
              placeholder="Choose a plan version"
              data={options.map(({ value, label }) => ({ value, label }))}
              value={baseline}
              onChange={(v) => {
                setBaseline(v);
                setCandidates((c) => c.filter((id) => id !== v));
              }}
              searchable
              required
            />
            <MultiSelect
              label="Candidate plans"
              description={`Up to ${MAX_CANDIDATES}, in the baseline's currency`}
              placeholder={candidates.length === 0 ? 'Choose one or more versions' : undefined}
              data={candidateOptions.map(({ value, label }) => ({ value, label }))}
              value={candidates}
              onChange={setCandidates}
              maxValues={MAX_CANDIDATES}
              searchable
              required
            />
            <TextInput
              label="Period"
              description="A year, quarter or month of stored transactions"
              value={period}
              onChange={(e) => setPeriod(e.currentTarget.value)}
              error={periodError}
              required
            />
          </Group>
          <FormError error={error} />
          <Group>
            <Button type="submit" loading={pending} disabled={!ready}>
              Run simulation
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
