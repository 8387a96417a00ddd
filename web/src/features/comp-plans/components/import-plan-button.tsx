import { Button, FileInput, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconFileImport } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { FormError } from '../../../components/ui/form-error.tsx';
import { useCreatePlan } from '../api/plan-mutations.ts';

/** A new plan from a YAML or JSON plan file; the server lists every problem with its path and line. */
export function ImportPlanButton() {
  const [opened, modal] = useDisclosure(false);
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [changeNote, setChangeNote] = useState('');
  const create = useCreatePlan();
  const navigate = useNavigate();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { file: { text, format: 'auto' }, changeNote: changeNote.trim() || (file ? `Imported from ${file.name}.` : 'Imported from a plan file.') },
      {
        onSuccess: (v) => {
          notifications.show({ color: 'green', message: `Plan “${v.planName}” imported: version 1 is a draft.` });
          modal.close();
          void navigate(`/comp-plans/${v.planId}?version=${v.id}`);
        },
      },
    );
  };

  return (
    <>
      <Button variant="default" leftSection={<IconFileImport size={16} aria-hidden />} onClick={modal.open}>
        Import file
      </Button>
      <Modal
        opened={opened}
        onClose={() => {
          create.reset();
          modal.close();
        }}
        title="Import a plan file"
        size="lg"
      >
        <form onSubmit={submit} noValidate aria-label="Import a plan file">
          <Stack gap="sm">
            <Text fz="sm">A plan file in YAML or JSON (format realign.comp-plan/v1), as exported from a plan or written by hand.</Text>
            <FileInput
              label="Plan file"
              placeholder="Choose a .yaml or .json file"
              accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml"
              value={file}
              clearable
              onChange={(f) => {
                setFile(f);
                create.reset();
                if (f) void f.text().then(setText);
                else setText('');
              }}
            />
            <Textarea
              label="Or paste the file"
              autosize
              minRows={4}
              maxRows={14}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
            />
            <Textarea
              label="Change note (optional)"
              autosize
              minRows={1}
              maxRows={4}
              value={changeNote}
              onChange={(e) => setChangeNote(e.currentTarget.value)}
            />
            <FormError error={create.error} />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={modal.close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending} disabled={text.trim() === ''}>
                Import plan
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
