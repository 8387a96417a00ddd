import { Button, Group, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Modal } from '@mantine/core';
import { IconMessageReport } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { FormError } from '../../../components/ui/form-error.tsx';
import { useOpenDispute } from '../api/disputes.ts';

export type DisputeSubject =
  | { kind: 'line'; runId: string; participantId: string; lineIndex: number; label: string }
  | { kind: 'registration'; registrationId: string; reference: string };

/**
 * "Dispute this line" (a statement line: the seller's question) or "Dispute credit" (a partner's
 * registration): a small dialog that opens the case and goes to it.
 */
export function DisputeOpenButton({ about, detailPath }: { about: DisputeSubject; detailPath: (id: string) => string }) {
  const [opened, { open, close }] = useDisclosure(false);
  const openDispute = useOpenDispute();
  const navigate = useNavigate();
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [links, setLinks] = useState('');
  const isLine = about.kind === 'line';
  const title = isLine ? `Dispute ${about.label}` : `Dispute the credit of ${about.reference}`;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const evidenceLinks = links
      .split(/\s+/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
    openDispute.mutate(
      {
        subject,
        description,
        ...(isLine
          ? { line: { runId: about.runId, participantId: about.participantId, lineIndex: about.lineIndex } }
          : { registrationId: about.registrationId }),
        ...(evidenceLinks.length > 0 ? { evidenceLinks } : {}),
      },
      { onSuccess: (d) => void navigate(detailPath(d.id)) },
    );
  };
  const dismiss = () => {
    openDispute.reset();
    close();
  };

  return (
    <>
      {isLine ? (
        <Button variant="subtle" size="compact-xs" onClick={open} leftSection={<IconMessageReport size={14} aria-hidden />} aria-label={title}>
          Dispute this line
        </Button>
      ) : (
        <Button variant="light" onClick={open} leftSection={<IconMessageReport size={16} aria-hidden />}>
          Dispute credit
        </Button>
      )}
      <Modal opened={opened} onClose={dismiss} title={title} size="lg">
        {opened && (
          <form onSubmit={submit}>
            <Stack gap="sm">
              <Text fz="sm" c="dimmed">
                {isLine
                  ? 'Say what you think is wrong with this payout line. Compensation administration answers in the case; you are notified.'
                  : 'Say what credit you expected for this registration and why. Add links to evidence (documents, mail threads).'}
              </Text>
              <TextInput label="Subject" required maxLength={200} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} />
              <Textarea
                label={isLine ? 'Your question' : 'Your statement'}
                required
                autosize
                minRows={3}
                maxLength={4000}
                value={description}
                onChange={(e) => setDescription(e.currentTarget.value)}
              />
              <Textarea
                label="Evidence links"
                description="Optional: http(s) addresses, one per line (at most 10)"
                autosize
                minRows={1}
                value={links}
                onChange={(e) => setLinks(e.currentTarget.value)}
              />
              <FormError error={openDispute.error} />
              <Group justify="flex-end">
                <Button variant="default" onClick={dismiss}>
                  Cancel
                </Button>
                <Button type="submit" loading={openDispute.isPending}>
                  Open dispute
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}
