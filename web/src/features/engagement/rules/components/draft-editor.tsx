import { Alert, Button, Group, JsonInput, List, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import type { RuleSetVersionView } from '../../../../../../common/api/engagement-rules.ts';
import { FormError } from '../../../../components/ui/form-error.tsx';
import { useUpdateRuleVersion } from '../api/update-rule-version.ts';

/**
 * Edits a draft: title, release notes and the rule set as JSON. The server checks the whole rule
 * set and answers every problem with its path (rules.routes[2].tiers), listed under the form.
 */
export function DraftEditor({ version }: { version: RuleSetVersionView }) {
  const update = useUpdateRuleVersion(version.id);
  const [title, setTitle] = useState(version.title);
  const [releaseNotes, setReleaseNotes] = useState(version.releaseNotes);
  const [json, setJson] = useState(() => JSON.stringify(version.rules, null, 2));
  const [parseError, setParseError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    let rules: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(json);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('The rule set must be a JSON object.');
      rules = parsed as Record<string, unknown>;
    } catch (e) {
      setParseError(e instanceof Error ? e.message : 'This is not valid JSON.');
      return;
    }
    setParseError(null);
    update.mutate(
      { title: title.trim(), releaseNotes, rules },
      {
        onSuccess: (saved) => {
          setJson(JSON.stringify(saved.rules, null, 2));
          notifications.show({ color: 'green', message: 'Draft saved.' });
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label={`Edit draft version ${version.version}`}>
      <Stack gap="sm">
        {version.issues.length > 0 && (
          <Alert color="orange" variant="light" title="This draft cannot be published yet" role="status">
            <List size="sm">
              {version.issues.map((i) => (
                <List.Item key={`${i.path}:${i.message}`}>
                  <strong>{i.path}</strong>: {i.message}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        <TextInput label="Title" required maxLength={200} value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        <Textarea
          label="Release notes"
          description="What changed and why, in a few sentences: partners read this."
          autosize
          minRows={2}
          maxRows={8}
          maxLength={10_000}
          value={releaseNotes}
          onChange={(e) => setReleaseNotes(e.currentTarget.value)}
        />
        <JsonInput
          label="Rule set (JSON)"
          description="Tiers, eligibility, routes, protection, conflicts and crediting. Every problem is reported with its path."
          autosize
          minRows={12}
          maxRows={30}
          formatOnBlur
          value={json}
          onChange={setJson}
          error={parseError}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
        />
        <FormError error={update.error} />
        <Group justify="flex-end">
          <Text fz="xs" c="dimmed">
            Saved drafts are previewed in plain language below.
          </Text>
          <Button type="submit" loading={update.isPending}>
            Save draft
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
