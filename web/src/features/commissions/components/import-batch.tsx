import { Alert, Badge, Button, Group, Paper, Progress, Radio, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ColumnMapping, CommitMode, TransactionImportView } from '../../../../../common/api/commissions-transactions.ts';
import { requiredTransactionColumns, transactionColumnHelp, transactionColumns, type TransactionColumn } from '../../../../../common/comp/transaction-row.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { FormError } from '../../../components/ui/form-error.tsx';
import { Pager } from '../../../components/ui/pager.tsx';
import { formatDateTime, formatInteger } from '../../../lib/format.ts';
import { useCommitImport, useValidateImport } from '../api/imports.ts';
import { progressPercent } from '../commissions-format.ts';
import { ImportStatusBadge } from './import-status-badge.tsx';

const problemPageSize = 25;
const none = '__none__';

function MappingStep({ batch, mapping, onChange }: { batch: TransactionImportView; mapping: ColumnMapping; onChange: (m: ColumnMapping) => void }) {
  const options = [{ value: none, label: '(not mapped)' }, ...batch.headers.map((h) => ({ value: h, label: h }))];
  const set = (column: TransactionColumn, header: string | null) => {
    const next = { ...mapping };
    if (header === null || header === none) delete next[column];
    else next[column] = header;
    onChange(next);
  };
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="mapping-title">
      <Title id="mapping-title" order={2} fz="md" mb={4}>
        Column mapping
      </Title>
      <Text fz="sm" c="dimmed" mb="sm">
        Which column of the file feeds each column of a transaction. The proposal comes from the file’s headers; required columns are marked with *.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
        {transactionColumns.map((c) => {
          const required = requiredTransactionColumns.includes(c);
          return (
            <Select
              key={c}
              label={c}
              description={transactionColumnHelp[c]}
              withAsterisk={required}
              data={options}
              value={mapping[c] ?? none}
              onChange={(v) => set(c, v)}
              allowDeselect={false}
              error={required && !mapping[c] ? 'Required: choose a column' : undefined}
            />
          );
        })}
      </SimpleGrid>
      <Title order={3} fz="sm" mt="md" mb="xs">
        Sample rows
      </Title>
      <Table.ScrollContainer minWidth={600}>
        <Table fz="xs" withTableBorder aria-label="Sample rows of the file">
          <Table.Thead>
            <Table.Tr>
              {batch.headers.map((h, i) => (
                <Table.Th key={`${h}-${i}`} scope="col">
                  {h}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {batch.sample.length === 0 ? (
              <EmptyRows colSpan={Math.max(1, batch.headers.length)}>The file has no data rows.</EmptyRows>
            ) : (
              batch.sample.map((row, r) => (
                <Table.Tr key={r}>
                  {batch.headers.map((_, i) => (
                    <Table.Td key={i}>{row[i] ?? ''}</Table.Td>
                  ))}
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function Counts({ batch }: { batch: TransactionImportView }) {
  const c = batch.counts;
  if (!c) return null;
  const stat = (label: string, value: number, color?: string) => (
    <div>
      <Text fz="xs" c="dimmed">
        {label}
      </Text>
      <Text fz="xl" fw={600} c={color}>
        {formatInteger(value)}
      </Text>
    </div>
  );
  return (
    <Group gap="xl" mb="sm" aria-label="Row counts" role="group">
      {stat('Rows', c.rows)}
      {stat('Good rows', c.good, 'green.8')}
      {stat('Bad rows', c.bad, c.bad > 0 ? 'red.8' : undefined)}
      {c.alreadyStored > 0 && stat('Already stored', c.alreadyStored)}
    </Group>
  );
}

function Problems({ batch }: { batch: TransactionImportView }) {
  const [offset, setOffset] = useState(0);
  const page = batch.problems.slice(offset, offset + problemPageSize);
  return (
    <>
      <Table.ScrollContainer minWidth={560}>
        <Table fz="sm" aria-label="Bad rows">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" ta="right">
                Line
              </Table.Th>
              <Table.Th scope="col">Transaction</Table.Th>
              <Table.Th scope="col">Column</Table.Th>
              <Table.Th scope="col">Reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.length === 0 ? (
              <EmptyRows colSpan={4}>Every row is good.</EmptyRows>
            ) : (
              page.map((p, i) => (
                <Table.Tr key={`${p.line}-${p.column ?? ''}-${offset + i}`}>
                  <Table.Td ta="right">{p.line}</Table.Td>
                  <Table.Td>{p.transactionRef ?? '—'}</Table.Td>
                  <Table.Td>{p.column ?? '(row)'}</Table.Td>
                  <Table.Td>{p.message}</Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Pager total={batch.problems.length} limit={problemPageSize} offset={offset} onOffsetChange={setOffset} noun="problems" />
      {batch.problemsTruncated && (
        <Text fz="xs" c="dimmed" mt={4}>
          More rows are bad than the report keeps; the counts above are complete.
        </Text>
      )}
    </>
  );
}

function CommitStep({ batch }: { batch: TransactionImportView }) {
  const [mode, setMode] = useState<CommitMode>('good_rows');
  const commit = useCommitImport();
  const c = batch.counts;
  if (!c) return null;
  return (
    <Stack gap="xs" mt="md">
      <Radio.Group label="What to store" value={mode} onChange={(v) => setMode(v === 'all_or_nothing' ? 'all_or_nothing' : 'good_rows')}>
        <Stack gap={6} mt={6}>
          <Radio value="good_rows" label={`Commit the good rows (${formatInteger(c.good)}), skip the bad ones`} />
          <Radio value="all_or_nothing" label="Commit nothing unless every row is good" />
        </Stack>
      </Radio.Group>
      <Group>
        <Button loading={commit.isPending} onClick={() => commit.mutate({ id: batch.id, mode })}>
          Commit
        </Button>
      </Group>
      <FormError error={commit.error} />
    </Stack>
  );
}

function Outcome({ batch }: { batch: TransactionImportView }) {
  if (batch.status === 'committing')
    return (
      <Stack gap={4} mt="sm">
        <Text fz="sm">
          Committing: {formatInteger(batch.progress.done)} of {formatInteger(batch.progress.total)} rows
        </Text>
        <Progress value={progressPercent(batch.progress)} aria-label="Rows committed" animated />
        {batch.error && (
          <Text fz="sm" c="red.8">
            The last attempt failed and is retried: {batch.error}
          </Text>
        )}
      </Stack>
    );
  if (batch.status === 'committed')
    return (
      <Alert color="green" variant="light" title="Committed" mt="sm">
        {formatInteger(batch.counts?.good ?? 0)} good rows stored as {formatInteger(batch.storedLines)} transaction lines
        {batch.counts && batch.counts.bad > 0 ? `; ${formatInteger(batch.counts.bad)} bad rows skipped` : ''}
        {batch.finishedAt ? ` (${formatDateTime(batch.finishedAt)})` : ''}.
      </Alert>
    );
  if (batch.status === 'rejected')
    return (
      <Alert color="orange" variant="light" title="Nothing stored" mt="sm">
        The batch was committed all or nothing and {formatInteger(batch.counts?.bad ?? 0)} rows are bad, so no row was stored. Fix the file and upload it again.
      </Alert>
    );
  return null;
}

/** One batch: the mapping, the validation report, the commit choice and its progress or outcome. */
export function ImportBatch({ batch, replayed }: { batch: TransactionImportView; replayed: boolean }) {
  const [mapping, setMapping] = useState<ColumnMapping>(batch.mapping);
  const validate = useValidateImport();
  const editable = batch.status === 'validating';
  const missing = requiredTransactionColumns.filter((c) => !mapping[c]);
  return (
    <>
      <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="batch-title">
        <Group gap="xs" mb={4}>
          <Title id="batch-title" order={2} fz="md">
            {batch.sourceName}
          </Title>
          <ImportStatusBadge status={batch.status} />
          <Badge variant="outline" color="gray" size="sm">
            {batch.format.toUpperCase()}
          </Badge>
        </Group>
        <Text fz="xs" c="dimmed">
          Uploaded {formatDateTime(batch.createdAt)} · {formatInteger(batch.sizeBytes)} bytes · sha256 {batch.contentSha256.slice(0, 12)}…
        </Text>
        {replayed && (
          <Alert color="blue" variant="light" mt="sm" title="Already imported">
            This file was uploaded before ({formatDateTime(batch.createdAt)}): this is that batch, and nothing new was stored.
          </Alert>
        )}
      </Paper>
      {editable && (
        <>
          <MappingStep batch={batch} mapping={mapping} onChange={setMapping} />
          <Group mb="md">
            <Button
              variant={batch.counts ? 'default' : 'filled'}
              loading={validate.isPending}
              disabled={missing.length > 0}
              onClick={() => validate.mutate({ id: batch.id, mapping })}
            >
              {batch.counts ? 'Validate again' : 'Validate'}
            </Button>
            {missing.length > 0 && (
              <Text fz="sm" c="dimmed">
                Map the required columns first: {missing.join(', ')}.
              </Text>
            )}
          </Group>
          <FormError error={validate.error} />
        </>
      )}
      {batch.counts && (
        <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="report-title">
          <Title id="report-title" order={2} fz="md" mb="xs">
            Validation report
          </Title>
          <Counts batch={batch} />
          <Problems key={`${batch.validatedAt ?? ''}-${batch.status}`} batch={batch} />
          {editable && <CommitStep batch={batch} />}
          <Outcome batch={batch} />
        </Paper>
      )}
    </>
  );
}
