import { Alert, Button, Group, List, Stack, Text, Textarea } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { ProblemIssue } from '../../../../../common/errors.ts';
import { errorMessage } from '../../../lib/api-client.ts';

type Check = (raw: unknown) => { ok: true } | { ok: false; issues: ProblemIssue[] };

/**
 * A definition as JSON, checked in the browser by the same functions the server runs before it
 * saves (common/scorecards/*.ts): the problems show while typing, with their paths.
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
  const [text, setText] = useState(() => JSON.stringify(initial, null, 2));
  const result = useMemo((): { parsed: unknown; issues: ProblemIssue[] } => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return { parsed: undefined, issues: [{ path: '(json)', message: e instanceof Error ? e.message : 'not JSON' }] };
    }
    const c = check(parsed);
    return { parsed, issues: c.ok ? [] : c.issues };
  }, [text, check]);
  return (
    <Stack gap="sm">
      <Textarea
        label={label}
        description="JSON; checked as you type with the rules the server applies before saving."
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        autosize
        minRows={12}
        maxRows={28}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
        spellCheck={false}
      />
      {result.issues.length > 0 ? (
        <Alert color="orange" variant="light" title={`${result.issues.length} problem${result.issues.length === 1 ? '' : 's'}`}>
          <List size="sm" spacing={2}>
            {result.issues.map((i) => (
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
      {saveError ? (
        <Alert color="red" variant="light" title="Not saved">
          {errorMessage(saveError)}
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button onClick={() => onSave(result.parsed)} disabled={result.issues.length > 0} loading={saving}>
          Save
        </Button>
      </Group>
    </Stack>
  );
}
