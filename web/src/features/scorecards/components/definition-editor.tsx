import { Alert, Button, Group, List, Stack, Tabs, Text, Textarea } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { ProblemIssue } from '../../../../../common/errors.ts';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import type { Draft } from './definition-fields.tsx';
import { MetricForm } from './metric-form.tsx';
import { ScorecardForm } from './scorecard-form.tsx';

type Check = (raw: unknown) => { ok: true } | { ok: false; issues: ProblemIssue[] };

/** Which form fits a definition: a metric has a measure, a scorecard has rows. */
function formKind(initial: unknown): 'metric' | 'scorecard' | null {
  if (!initial || typeof initial !== 'object') return null;
  if ('measure' in initial) return 'metric';
  if ('rows' in initial) return 'scorecard';
  return null;
}

/** The server's issues of a failed save, at the paths of the definition (without the `body.` prefix). */
function serverIssues(error: unknown): ProblemIssue[] {
  if (!isApiError(error)) return [];
  return (error.problem.issues ?? []).map((i) => ({ path: i.path.replace(/^body\.?/, '') || '(definition)', message: i.message }));
}

/**
 * A definition (a metric or a scorecard) edited as a form built from the documented building blocks,
 * or as JSON for power users; both tabs edit the same definition. It is checked in the browser by the
 * same functions the server runs before it saves (common/scorecards/*.ts), and the problems show at
 * the field they concern while typing; what only the server can tell (a key already taken) shows at
 * its field after a save, until the definition changes.
 */
export function DefinitionEditor({
  label,
  initial,
  check,
  onSave,
  saving,
  saveError,
}: {
  label: string;
  initial: unknown;
  check: Check;
  onSave: (definition: unknown) => void;
  saving: boolean;
  saveError: unknown;
}) {
  const kind = formKind(initial);
  const [text, setText] = useState(() => JSON.stringify(initial, null, 2));
  const [value, setValue] = useState<unknown>(initial);
  const [savedText, setSavedText] = useState<string | null>(null);
  const [tab, setTab] = useState<string | null>(kind ? 'form' : 'json');

  const local = useMemo((): { parsed: boolean; issues: ProblemIssue[] } => {
    try {
      JSON.parse(text);
    } catch (e) {
      return { parsed: false, issues: [{ path: '(json)', message: e instanceof Error ? e.message : 'not JSON' }] };
    }
    const c = check(value);
    return { parsed: true, issues: c.ok ? [] : c.issues };
  }, [text, value, check]);
  const fromServer = savedText === text ? serverIssues(saveError) : [];
  const shown = [...local.issues, ...fromServer.filter((s) => !local.issues.some((l) => l.path === s.path && l.message === s.message))];

  const editJson = (t: string) => {
    setText(t);
    try {
      setValue(JSON.parse(t));
    } catch {
      // Keep the last definition that parsed: the form shows it while the JSON is being typed.
    }
  };
  const editForm = (next: Draft) => {
    setValue(next);
    setText(JSON.stringify(next, null, 2));
  };

  const jsonEditor = (
    <Textarea
      label={label}
      description="JSON; checked as you type with the rules the server applies before saving."
      value={text}
      onChange={(e) => editJson(e.currentTarget.value)}
      autosize
      minRows={12}
      maxRows={28}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
      spellCheck={false}
    />
  );
  const formValue = value && typeof value === 'object' && !Array.isArray(value) ? (value as Draft) : {};

  return (
    <Stack gap="sm">
      {kind ? (
        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="form">Form</Tabs.Tab>
            <Tabs.Tab value="json">JSON</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="form" pt="sm">
            {local.parsed ? (
              kind === 'metric' ? (
                <MetricForm value={formValue} onChange={editForm} issues={shown} />
              ) : (
                <ScorecardForm value={formValue} onChange={editForm} issues={shown} />
              )
            ) : (
              <Alert color="orange" variant="light">
                The JSON does not parse: fix it in the JSON tab first.
              </Alert>
            )}
          </Tabs.Panel>
          <Tabs.Panel value="json" pt="sm">
            {jsonEditor}
          </Tabs.Panel>
        </Tabs>
      ) : (
        jsonEditor
      )}
      {shown.length > 0 ? (
        <Alert color="orange" variant="light" title={`${shown.length} problem${shown.length === 1 ? '' : 's'}`}>
          <List size="sm" spacing={2}>
            {shown.map((i) => (
              <List.Item key={`${i.path}:${i.message}`}>
                <Text span ff="monospace" fz="xs">
                  {i.path}
                </Text>{' '}
                {i.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : (
        <Text fz="sm" c="green.8">
          No problems found.
        </Text>
      )}
      {saveError && fromServer.length === 0 ? (
        <Alert color="red" variant="light" title="Not saved">
          {errorMessage(saveError)}
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button
          onClick={() => {
            setSavedText(text);
            onSave(value);
          }}
          disabled={local.issues.length > 0}
          loading={saving}
        >
          Save
        </Button>
      </Group>
    </Stack>
  );
}
