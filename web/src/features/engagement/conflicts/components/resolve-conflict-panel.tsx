import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { conflictResolutions, type ConflictDetail, type ConflictResolution } from '../../../../../../common/api/engagement-conflicts.ts';
import { FormError } from '../../../../components/ui/form-error.tsx';
import { useResolveConflict } from '../api/resolve-conflict.ts';
import { resolutionEffects, resolutionLabels } from './conflict-format.ts';

/** The decision: a required note, one button per resolution, and a confirmation that says what will happen. */
export function ResolveConflictPanel({ conflict }: { conflict: ConflictDetail }) {
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [choice, setChoice] = useState<ConflictResolution | null>(null);
  const [opened, modal] = useDisclosure(false);
  const resolve = useResolveConflict();
  const label = (r: ConflictResolution) => (conflict.kind === 'partner_vs_direct' && r === 'award_existing' ? 'Keep the account direct' : resolutionLabels[r]);

  const pick = (r: ConflictResolution) => {
    if (note.trim() === '') {
      setNoteError('Write why you decide this way: the note is kept with the decision.');
      return;
    }
    setNoteError(null);
    setChoice(r);
    modal.open();
  };

  return (
    <Stack gap="sm">
      <Textarea
        label="Decision note"
        description="Required. Kept with the decision for the audit trail; partners never see it."
        required
        autosize
        minRows={3}
        maxLength={2000}
        value={note}
        error={noteError}
        onChange={(e) => setNote(e.currentTarget.value)}
      />
      <Group gap="xs">
        {conflictResolutions.map((r) => (
          <Button key={r} variant="default" onClick={() => pick(r)}>
            {label(r)}…
          </Button>
        ))}
      </Group>
      <Modal
        opened={opened}
        onClose={() => {
          resolve.reset();
          modal.close();
        }}
        title={choice ? `${label(choice)}?` : 'Resolve'}
      >
        {choice && (
          <Stack gap="sm">
            <Text fz="sm">{resolutionEffects[choice]}</Text>
            <Text fz="sm" c="dimmed">
              Partners whose registration changes are told in neutral words; nobody learns who else claimed the customer.
            </Text>
            <FormError error={resolve.error} />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={modal.close}>
                Cancel
              </Button>
              <Button
                loading={resolve.isPending}
                onClick={() =>
                  resolve.mutate(
                    { id: conflict.id, resolution: choice, note: note.trim() },
                    {
                      onSuccess: () => {
                        notifications.show({ color: 'green', message: 'Conflict resolved.' });
                        modal.close();
                      },
                    },
                  )
                }
              >
                Confirm: {label(choice).toLowerCase()}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
