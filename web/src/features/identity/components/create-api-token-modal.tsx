import { Alert, Button, Checkbox, Code, CopyButton, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { FormError } from '../../../components/ui/form-error.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { type CreatedApiToken, useCreateApiToken } from '../api/create-api-token.ts';

type Scope = 'read' | 'write';

function ShowTokenOnce({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  return (
    <Stack gap="sm">
      <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />} py="xs">
        Copy this token now. It is shown only once; Realign stores only a hash of it.
      </Alert>
      <Text fz="sm">
        <strong>{token.name}</strong> · scopes {token.scopes.join(', ')} · expires {formatDateTime(token.expiresAt)}
      </Text>
      <Code block fz="sm" aria-label="New API token" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
        {token.token}
      </Code>
      <Text fz="xs" c="dimmed">
        Send it as <code>Authorization: Bearer &lt;token&gt;</code>.
      </Text>
      <Group justify="flex-end" gap="xs">
        <CopyButton value={token.token} timeout={2500}>
          {({ copied, copy }) => (
            <Button
              variant={copied ? 'light' : 'filled'}
              color={copied ? 'green' : undefined}
              leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
              onClick={copy}
            >
              {copied ? 'Copied' : 'Copy token'}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" onClick={onDone}>
          Done
        </Button>
      </Group>
    </Stack>
  );
}

export function CreateApiTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateApiToken();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [days, setDays] = useState<number>(90);
  const [touched, setTouched] = useState(false);

  const dismiss = () => {
    create.reset();
    setName('');
    setScopes(['read']);
    setDays(90);
    setTouched(false);
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!name.trim() || scopes.length === 0 || !Number.isInteger(days) || days < 1 || days > 366) return;
    create.mutate({ name: name.trim(), scopes, expiresInDays: days });
  };

  return (
    <Modal opened={opened} onClose={dismiss} title={create.data ? 'API token created' : 'New API token'} size="lg" closeOnClickOutside={!create.data}>
      {create.data ? (
        <ShowTokenOnce token={create.data} onDone={dismiss} />
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <FormError error={create.error} />
            <TextInput
              label="Name"
              description="What the token is for, e.g. “CRM sync”"
              required
              data-autofocus
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={touched && !name.trim() ? 'Enter a name' : undefined}
            />
            <Checkbox.Group
              label="Scopes"
              required
              value={scopes}
              onChange={(v) => setScopes(v)}
              error={touched && scopes.length === 0 ? 'Choose at least one scope' : undefined}
            >
              <Group gap="lg" mt={4}>
                <Checkbox value="read" label="Read" />
                <Checkbox value="write" label="Write" />
              </Group>
            </Checkbox.Group>
            <NumberInput
              label="Expires in (days)"
              required
              min={1}
              max={366}
              allowDecimal={false}
              value={days}
              onChange={(v) => setDays(typeof v === 'number' ? v : Number(v))}
              w={200}
              error={touched && (!Number.isInteger(days) || days < 1 || days > 366) ? 'Between 1 and 366 days' : undefined}
            />
            <Group justify="flex-end" gap="xs" mt="xs">
              <Button variant="default" onClick={dismiss}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create token
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
