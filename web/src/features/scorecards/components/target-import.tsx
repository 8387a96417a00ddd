import { Alert, Button, FileInput, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { requiredTargetCsvColumns, targetCsvColumns, type TargetImportReport } from '../../../../../common/api/scorecard-targets.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { useImportTargets } from '../api/target-mutations.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The per-row report of a checked or imported file: what is good, and every problem by line and column. */
function ImportReport({ report }: { report: TargetImportReport }) {
  return (
    <Stack gap="xs">
      <Text fz="sm" role="status">
        {plural(report.rows, 'row')}: {report.good.toLocaleString('en-US')} good, {report.rejected.toLocaleString('en-US')} with problems
        {report.committed ? ` · saved ${report.saved.toLocaleString('en-US')}, unchanged ${report.unchanged.toLocaleString('en-US')}` : ''}.
      </Text>
      {report.issues.length > 0 && (
        <Table.ScrollContainer minWidth={420} mah={320}>
          <Table striped aria-label="Problems in the file" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Line</Table.Th>
                <Table.Th>Column</Table.Th>
                <Table.Th>Problem</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.issues.map((i) => (
                <Table.Tr key={`${i.line}:${i.column}:${i.message}`}>
                  <Table.Td>{i.line}</Table.Td>
                  <Table.Td>{i.column}</Table.Td>
                  <Table.Td>{i.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

/**
 * Upload targets from CSV in two steps: the file is checked first (nothing saved) and its report
 * shown by line; then the user saves the good rows, or nothing.
 */
export function TargetImport({ scorecard, onDone }: { scorecard: string; onDone: () => void }) {
  const run = useImportTargets(scorecard);
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState('');
  const [checked, setChecked] = useState<TargetImportReport | null>(null);
  const [saved, setSaved] = useState<TargetImportReport | null>(null);

  const check = () => run.mutate({ csv, commit: 'none' }, { onSuccess: (r) => setChecked(r) });
  const commit = () => run.mutate({ csv, commit: 'good_rows' }, { onSuccess: (r) => setSaved(r) });

  if (saved)
    return (
      <Stack gap="sm">
        <Alert color="green" variant="light" title="Targets saved">
          <ImportReport report={saved} />
        </Alert>
        <Group justify="flex-end">
          <Button onClick={onDone}>Close</Button>
        </Group>
      </Stack>
    );

  return (
    <Stack gap="sm">
      <Text fz="sm">
        Columns: {targetCsvColumns.join(', ')} (header line first, any order; {requiredTargetCsvColumns.join(', ')} required). The file is checked first:
        nothing is saved until you choose.
      </Text>
      <FileInput
        label="CSV file"
        placeholder="Choose a .csv file"
        accept=".csv,text/csv"
        value={file}
        clearable
        clearButtonProps={{ 'aria-label': 'Clear the file' }}
        onChange={(f) => {
          setFile(f);
          setChecked(null);
          run.reset();
          if (f) void f.text().then(setCsv);
          else setCsv('');
        }}
      />
      <FormError error={run.error} />
      {checked && <ImportReport report={checked} />}
      <Group justify="flex-end" gap="xs">
        {checked ? (
          <>
            <Button variant="default" onClick={onDone}>
              Save none
            </Button>
            {checked.good > 0 && (
              <Button loading={run.isPending} onClick={commit}>
                {checked.rejected > 0 ? `Save the ${plural(checked.good, 'good row')}` : `Save all ${plural(checked.good, 'row')}`}
              </Button>
            )}
          </>
        ) : (
          <>
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
            <Button loading={run.isPending} disabled={csv.trim() === ''} onClick={check}>
              Check file
            </Button>
          </>
        )}
      </Group>
    </Stack>
  );
}
