import { Badge, Button, Group, Modal, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { FormError } from '../../../components/ui/form-error.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import type { ApiTokenView } from '../api/list-api-tokens.ts';
import { useRevokeApiToken } from '../api/revoke-api-token.ts';

function tokenStatus(token: ApiTokenView, now: number): 'active' | 'revoked' | 'expired' {
  if (token.revokedAt) return 'revoked';
  if (Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

function RevokeDialog({ token, onClose }: { token: ApiTokenView; onClose: () => void }) {
  const revoke = useRevokeApiToken();
  return (
    <Modal opened onClose={onClose} title="Revoke API token">
      <Text fz="sm" mb="sm">
        Revoke <strong>{token.name}</strong> ({token.prefix}…)? Integrations using it stop working immediately. This cannot be undone.
      </Text>
      <FormError error={revoke.error} />
      <Group justify="flex-end" gap="xs" mt="md">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button
          color="red.9"
          loading={revoke.isPending}
          onClick={() =>
            revoke.mutate(token.id, {
              onSuccess: () => {
                notifications.show({ color: 'green', message: `Token “${token.name}” revoked.` });
                onClose();
              },
            })
          }
        >
          Revoke token
        </Button>
      </Group>
    </Modal>
  );
}

export function ApiTokensTable({ items }: { items: ApiTokenView[] }) {
  const [revoking, setRevoking] = useState<ApiTokenView | null>(null);
  // Taken once per mount: token status only changes on the scale of days.
  const [now] = useState(() => Date.now());
  return (
    <>
      <Table.ScrollContainer minWidth={820}>
        <Table aria-label="API tokens">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Prefix</Table.Th>
              <Table.Th>Scopes</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.length === 0 && <EmptyRows colSpan={8}>No API tokens yet.</EmptyRows>}
            {items.map((t) => {
              const status = tokenStatus(t, now);
              return (
                <Table.Tr key={t.id}>
                  <Table.Td fw={500}>{t.name}</Table.Td>
                  <Table.Td>
                    <span className="mono">{t.prefix}…</span>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {t.scopes.map((s) => (
                        <Badge key={s} size="sm" variant="outline" color="gray.7">
                          {s}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={status} />
                  </Table.Td>
                  <Table.Td>{formatDate(t.createdAt)}</Table.Td>
                  <Table.Td>{formatDate(t.expiresAt)}</Table.Td>
                  <Table.Td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never'}</Table.Td>
                  <Table.Td>
                    {status === 'active' ? (
                      <Button size="compact-xs" variant="light" color="red" onClick={() => setRevoking(t)}>
                        Revoke
                      </Button>
                    ) : (
                      <Text fz="xs" c="dimmed">
                        {t.revokedAt ? `Revoked ${formatDate(t.revokedAt)}` : '—'}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {revoking && <RevokeDialog token={revoking} onClose={() => setRevoking(null)} />}
    </>
  );
}
