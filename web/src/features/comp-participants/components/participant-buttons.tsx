import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlayerStop, IconPlus } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import type { ParticipantView } from '../../../../../common/api/comp-plans.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { ModalButton } from '../../../components/ui/modal-button.tsx';
import { formatDate } from '../../../lib/format.ts';
import { useCreateParticipant, useUpdateParticipant } from '../api/participants.ts';
import { fieldErrors, todayIso } from '../field-errors.ts';
import { ParticipantForm } from './participant-form.tsx';

export function CreateParticipantButton() {
  const create = useCreateParticipant();
  const navigate = useNavigate();
  return (
    <ModalButton label="New participant" icon={<IconPlus size={16} aria-hidden />} title="New participant" onDismiss={create.reset}>
      {(dismiss) => (
        <ParticipantForm
          submitLabel="Create participant"
          pending={create.isPending}
          error={create.error}
          onCancel={dismiss}
          onSubmit={(values) =>
            create.mutate(values, {
              onSuccess: (p) => {
                notifications.show({ color: 'green', message: `Participant “${p.displayName}” created.` });
                dismiss();
                void navigate(`/comp-plans/participants/${p.id}`);
              },
            })
          }
        />
      )}
    </ModalButton>
  );
}

export function EditParticipantButton({ participant }: { participant: ParticipantView }) {
  const update = useUpdateParticipant(participant.id);
  return (
    <ModalButton label="Edit" variant="default" icon={<IconPencil size={16} aria-hidden />} title={`Edit ${participant.displayName}`} onDismiss={update.reset}>
      {(dismiss) => (
        <ParticipantForm
          initial={participant}
          submitLabel="Save changes"
          pending={update.isPending}
          error={update.error}
          onCancel={dismiss}
          onSubmit={(values) =>
            update.mutate(values, {
              onSuccess: () => {
                notifications.show({ color: 'green', message: 'Participant saved.' });
                dismiss();
              },
            })
          }
        />
      )}
    </ModalButton>
  );
}

/** Ends a participant's activity on a day (activeTo); their history stays. Participants are never deleted once they have pay records. */
export function DeactivateParticipantButton({ participant }: { participant: ParticipantView }) {
  const [opened, modal] = useDisclosure(false);
  const [on, setOn] = useState(todayIso());
  const update = useUpdateParticipant(participant.id);
  const problem = fieldErrors(update.error).activeTo;
  const tooEarly = participant.activeFrom !== null && on !== '' && on <= participant.activeFrom;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (on === '' || tooEarly) return;
    update.mutate(
      { activeTo: on },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `${participant.displayName} is inactive from ${formatDate(on)}.` });
          modal.close();
        },
      },
    );
  };
  return (
    <>
      <Button
        variant="default"
        color="red"
        leftSection={<IconPlayerStop size={16} aria-hidden />}
        onClick={() => {
          update.reset();
          modal.open();
        }}
      >
        Deactivate
      </Button>
      <Modal opened={opened} onClose={modal.close} title={`Deactivate ${participant.displayName}`}>
        <form onSubmit={submit} noValidate aria-label="Deactivate the participant">
          <Stack gap="sm">
            <Text fz="sm">
              From this day on the participant is no longer active: they stay in the records, with their assignments, quotas and pay history. End their plan
              assignments too if they should not be paid after it.
            </Text>
            <TextInput
              label="No longer active from"
              type="date"
              required
              data-autofocus
              value={on}
              onChange={(e) => setOn(e.currentTarget.value)}
              error={tooEarly ? `Must be after the first active day (${formatDate(participant.activeFrom)})` : problem}
            />
            <FormError error={update.error} />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={modal.close}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={update.isPending} disabled={on === ''}>
                Deactivate
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
