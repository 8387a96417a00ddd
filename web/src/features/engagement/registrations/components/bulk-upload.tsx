import { Alert, Button, FileInput, Group, Paper, Radio, Stack, Table, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { bulkColumns, type BulkMode } from '../../../../../../common/api/engagement-registrations.ts';
import { EmptyRows } from '../../../../components/ui/empty-rows.tsx';
import { FormError } from '../../../../components/ui/form-error.tsx';
import { useBulkRegister } from '../api/bulk-register.ts';

const outcomeLabels = { created: 'Registered', already_registered: 'Already registered', invalid: 'Not valid', not_committed: 'Not committed' } as const;

/** Upload a CSV of registrations; every row is checked and reported, good rows are committed as the user chose. */
export function BulkUpload() {
  const [csv, setCsv] = useState('');
  const [mode, setMode] = useState<BulkMode>('all_or_nothing');
  const upload = useBulkRegister();
  const report = upload.data;
  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <Text fz="sm">
            The first line names the columns: <code>{bulkColumns.join(', ')}</code>. The first five are required; <code>value</code> is in major units
            (12500.00). A row whose <code>client_reference</code> was already registered is reported, never registered twice.
          </Text>
          <FileInput
            label="CSV file"
            accept=".csv,text/csv"
            onChange={(file) => {
              if (file) void file.text().then(setCsv);
            }}
          />
          <Textarea label="CSV content" autosize minRows={4} maxRows={14} value={csv} onChange={(e) => setCsv(e.currentTarget.value)} />
          <Radio.Group label="When some rows are not valid" value={mode} onChange={(v) => setMode(v)}>
            <Group mt="xs">
              <Radio value="all_or_nothing" label="Commit nothing" />
              <Radio value="valid_rows" label="Commit the valid rows" />
            </Group>
          </Radio.Group>
          <FormError error={upload.error} />
          <Group justify="flex-end">
            <Button disabled={csv.trim() === ''} loading={upload.isPending} onClick={() => upload.mutate({ csv, mode })}>
              Check and upload
            </Button>
          </Group>
        </Stack>
      </Paper>
      {report && (
        <Paper withBorder radius="md" p="md">
          <Alert color={report.counts.invalid > 0 ? 'yellow' : 'green'} mb="sm" role="status">
            {report.counts.created} registered, {report.counts.alreadyRegistered} already registered, {report.counts.invalid} not valid
            {report.committed ? '.' : ': nothing was committed.'}
          </Alert>
          <Table aria-label="Upload report">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Line</Table.Th>
                <Table.Th>Client reference</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Registration</Table.Th>
                <Table.Th>Problems</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.rows.length === 0 && <EmptyRows colSpan={5}>No rows.</EmptyRows>}
              {report.rows.map((r) => (
                <Table.Tr key={r.line}>
                  <Table.Td>{r.line}</Table.Td>
                  <Table.Td>{r.clientReference ?? '—'}</Table.Td>
                  <Table.Td>{outcomeLabels[r.outcome]}</Table.Td>
                  <Table.Td>{r.reference ?? '—'}</Table.Td>
                  <Table.Td>
                    {r.issues.map((i) => (
                      <Text key={`${i.column}:${i.message}`} fz="sm">
                        <strong>{i.column}</strong>: {i.message}
                      </Text>
                    ))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}
