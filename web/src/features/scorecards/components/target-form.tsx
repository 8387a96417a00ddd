import { Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ScorecardTargetInput, ScorecardTargetView, TargetSubjectKind } from '../../../../../common/api/scorecard-targets.ts';
import { formatMetricValue } from '../../../../../common/scorecards/format.ts';
import { isApiError } from '../../../lib/api-client.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { useSaveTarget } from '../api/target-mutations.ts';
import { targetKindLabels, type TargetMetricRow } from './target-scope.ts';

const subjectHelp: Record<TargetSubjectKind, string> = {
  seller: 'Participant id or external reference (hr:…)',
  manager: 'Participant id or external reference (hr:…)',
  team: 'Team name, as participants carry it',
  unit: 'Unit name, as participants carry it',
  partner: 'Partner id or exact name',
  partner_tier: 'Tier key (gold, silver …): every partner of that tier',
  programme: 'programme',
};

type Field = 'metric' | 'subjectKind' | 'subject' | 'target' | 'redFlag' | 'note';

/** The server's issues for the one target sent (`body.targets[0].<field>`), keyed by field. */
function serverIssues(error: unknown): Partial<Record<Field, string>> {
  if (!isApiError(error)) return {};
  const out: Partial<Record<Field, string>> = {};
  for (const i of error.problem.issues ?? []) {
    const m = /^body\.targets\[0\]\.(\w+)/.exec(i.path);
    const f = m?.[1] as Field | undefined;
    if (f) out[f] = out[f] ? `${out[f]}; ${i.message}` : i.message;
  }
  return out;
}

function numberOf(text: string): number | null {
  const t = text.trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : null;
}

/**
 * Adds a target (metric, scope, subject, target, red flag, note) or changes an existing one (its
 * metric and subject stay: the same metric and subject replace the stored target). The server's
 * checks come back at their fields.
 */
export function TargetForm({
  scorecard,
  rows,
  kinds,
  existing,
  onDone,
}: {
  scorecard: string;
  rows: readonly TargetMetricRow[];
  kinds: readonly TargetSubjectKind[];
  existing?: ScorecardTargetView | undefined;
  onDone: () => void;
}) {
  const save = useSaveTarget(scorecard);
  const [metric, setMetric] = useState(existing?.metric ?? rows[0]?.metric ?? '');
  const [kind, setKind] = useState<TargetSubjectKind>(existing?.subjectKind ?? kinds[0] ?? 'seller');
  const [subject, setSubject] = useState(existing?.subjectId ?? (kinds[0] === 'programme' ? 'programme' : ''));
  const [target, setTarget] = useState(existing ? String(existing.target) : '');
  const [redFlag, setRedFlag] = useState(existing ? String(existing.redFlag) : '');
  const [note, setNote] = useState(existing?.note ?? '');
  const [local, setLocal] = useState<Partial<Record<Field, string>>>({});
  const row = rows.find((r) => r.metric === metric);
  // A problem stays at its field until the form changes.
  const changed = () => {
    if (save.error) save.reset();
    if (Object.keys(local).length) setLocal({});
  };
  const issues = { ...serverIssues(save.error), ...local };
  const preview = (text: string) => {
    const n = numberOf(text);
    return row && n !== null ? `= ${formatMetricValue(n, row.unit, row.currency)}` : undefined;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = numberOf(target);
    const r = numberOf(redFlag);
    const found: Partial<Record<Field, string>> = {};
    if (!subject.trim()) found.subject = 'is required';
    if (t === null) found.target = target.trim() ? `"${target}" is not a number (use . for decimals)` : 'is required';
    if (r === null) found.redFlag = redFlag.trim() ? `"${redFlag}" is not a number (use . for decimals)` : 'is required';
    setLocal(found);
    if (Object.keys(found).length || t === null || r === null) return;
    const input: ScorecardTargetInput = { metric, subjectKind: kind, subject: subject.trim(), target: t, redFlag: r, note: note.trim() };
    save.mutate(input, { onSuccess: onDone });
  };
  const unitHint =
    row?.unit === 'ratio' ? 'A fraction: 0.6 is 60%' : row?.unit === 'money' ? `Minor units (cents) of ${row.currency ?? 'the currency'}` : undefined;
  const serverOnly = save.error && Object.keys(serverIssues(save.error)).length === 0 ? save.error : null;

  return (
    <form onSubmit={submit} noValidate aria-label={existing ? 'Edit target' : 'Add target'}>
      <Stack gap="sm">
        <NativeSelect
          label="Metric"
          value={metric}
          disabled={existing !== undefined}
          onChange={(e) => {
            setMetric(e.currentTarget.value);
            changed();
          }}
          data={rows.map((r) => ({ value: r.metric, label: r.name }))}
          error={issues.metric}
        />
        <NativeSelect
          label="Applies to"
          value={kind}
          disabled={existing !== undefined}
          onChange={(e) => {
            const k = e.currentTarget.value as TargetSubjectKind;
            setKind(k);
            changed();
            if (k === 'programme') setSubject('programme');
          }}
          data={kinds.map((k) => ({ value: k, label: targetKindLabels[k] }))}
          error={issues.subjectKind}
        />
        <TextInput
          label={kind === 'partner_tier' ? 'Tier' : 'Subject'}
          description={existing ? `${existing.subjectLabel} · to move a target, add a new one and delete this one` : subjectHelp[kind]}
          value={subject}
          disabled={existing !== undefined}
          onChange={(e) => {
            setSubject(e.currentTarget.value);
            changed();
          }}
          error={issues.subject}
          withAsterisk
        />
        <Group grow align="flex-start">
          <TextInput
            label="Target"
            inputMode="decimal"
            value={target}
            onChange={(e) => {
              setTarget(e.currentTarget.value);
              changed();
            }}
            description={preview(target) ?? unitHint}
            error={issues.target}
            withAsterisk
          />
          <TextInput
            label="Red flag"
            inputMode="decimal"
            value={redFlag}
            onChange={(e) => {
              setRedFlag(e.currentTarget.value);
              changed();
            }}
            description={preview(redFlag) ?? (row ? (row.direction === 'higher_is_better' ? 'Below the target' : 'Above the target') : undefined)}
            error={issues.redFlag}
            withAsterisk
          />
        </Group>
        <TextInput
          label="Note"
          value={note}
          onChange={(e) => {
            setNote(e.currentTarget.value);
            changed();
          }}
          error={issues.note}
          maxLength={500}
        />
        {row && (
          <Text fz="xs" c="dimmed">
            Scorecard default for {row.name}: target {formatMetricValue(row.target, row.unit, row.currency)}, red flag{' '}
            {formatMetricValue(row.redFlag, row.unit, row.currency)}.
          </Text>
        )}
        <FormError error={serverOnly} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {existing ? 'Save target' : 'Add target'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
