import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArchive, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import type { RuleSetVersionView } from '../../../../../../common/api/engagement-rules.ts';
import { FormError } from '../../../../components/ui/form-error.tsx';
import { usePublishRuleVersion } from '../api/publish-rule-version.ts';
import { useRetireRuleVersion } from '../api/retire-rule-version.ts';

/** Publish (drafts) and retire (the version in force), each behind a confirmation. */
export function VersionActions({ version, inForce }: { version: RuleSetVersionView; inForce: number | null }) {
  const [publishOpen, publishModal] = useDisclosure(false);
  const [retireOpen, retireModal] = useDisclosure(false);
  const [acknowledgeBy, setAcknowledgeBy] = useState('');
  const publish = usePublishRuleVersion();
  const retire = useRetireRuleVersion();

  return (
    <Group gap="xs">
      {version.status === 'draft' && (
        <Button leftSection={<IconSend size={16} aria-hidden />} onClick={publishModal.open} disabled={version.issues.length > 0}>
          Publish…
        </Button>
      )}
      {version.status === 'published' && (
        <Button variant="default" color="red" leftSection={<IconArchive size={16} aria-hidden />} onClick={retireModal.open}>
          Retire…
        </Button>
      )}
      <Modal
        opened={publishOpen}
        onClose={() => {
          publish.reset();
          publishModal.close();
        }}
        title={`Publish version ${version.version}?`}
      >
        <Stack gap="sm">
          <Text fz="sm">
            Version {version.version} comes into force now
            {inForce !== null ? ` and version ${inForce} retires` : ''}. Every internal and partner user is asked to read and accept it.
          </Text>
          <TextInput type="date" label="Accept by (optional)" value={acknowledgeBy} onChange={(e) => setAcknowledgeBy(e.currentTarget.value)} data-autofocus />
          <FormError error={publish.error} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={publishModal.close}>
              Cancel
            </Button>
            <Button
              loading={publish.isPending}
              onClick={() =>
                publish.mutate(
                  { id: version.id, acknowledgeBy: acknowledgeBy || null },
                  {
                    onSuccess: () => {
                      notifications.show({ color: 'green', message: `Version ${version.version} is in force.` });
                      publishModal.close();
                    },
                  },
                )
              }
            >
              Publish version {version.version}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal
        opened={retireOpen}
        onClose={() => {
          retire.reset();
          retireModal.close();
        }}
        title={`Retire version ${version.version}?`}
      >
        <Stack gap="sm">
          <Text fz="sm">No rules of the road will be in force until another version is published. Registrations keep the rules they were routed by.</Text>
          <FormError error={retire.error} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={retireModal.close}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={retire.isPending}
              onClick={() =>
                retire.mutate(version.id, {
                  onSuccess: () => {
                    notifications.show({ message: `Version ${version.version} retired.` });
                    retireModal.close();
                  },
                })
              }
            >
              Retire version {version.version}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}
