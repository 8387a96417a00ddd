import { Alert, Button, Code, FileInput, Group, List, Paper, SegmentedControl, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconCheck, IconUpload } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { UpsertQuotasReport } from '../../../../../common/api/comp-plans.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { FormError } from '../../../components/ui/form-error.tsx';
import { Pager } from '../../../components/ui/pager.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { formatInteger } from '../../../lib/format.ts';
import { moneyText } from '../../comp-plans/plan-format.ts';
import { useUpsertQuotas } from '../api/quotas.ts';
import { parseQuotaCsv, quotaCsvExample, quotaRequestRows, serverRowProblems } from '../quota-csv.ts';

const pageSize = 100;
const maxRows = 50_000;

/**
 * The bulk quota editor: a CSV file or pasted rows, read in the browser and previewed with each
 * row's problems; saved all or nothing, and the server's problems are shown at their rows too.
 */
export function QuotaUpload() {
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [show, setShow] = useState<'all' | 'problems'>('all');
  const [offset, setOffset] = useState(0);
  const [saved, setSaved] = useState<UpsertQuotasReport | null>(null);
  const upsert = useUpsertQuotas();
  const parsed = useMemo(() => parseQuotaCsv(text), [text]);
  const fileProblems =
    parsed.rows.length > maxRows ? [...parsed.problems, `At most ${formatInteger(maxRows)} rows at a time: split the file.`] : parsed.problems;

  const server = useMemo(
    () => (isApiError(upsert.error) ? serverRowProblems(upsert.error.problem.issues ?? [], parsed.rows) : { byRow: new Map<number, string[]>(), general: [] }),
    [upsert.error, parsed.rows],
  );
  const rows = useMemo(
    () => parsed.rows.map((r, index) => ({ ...r, index, all: [...r.problems, ...(server.byRow.get(index) ?? [])] })),
    [parsed.rows, server.byRow],
  );
  const withProblems = rows.filter((r) => r.all.length > 0);
  const clientProblems = parsed.rows.filter((r) => r.problems.length > 0).length;
  const listed = show === 'problems' ? withProblems : rows;
  const page = listed.slice(offset, offset + pageSize);
  const rejection = isApiError(upsert.error) && upsert.error.problem.code === 'validation_failed' ? upsert.error.problem : null;
  const serverRejected = rejection !== null;

  const changeText = (next: string) => {
    setText(next);
    setOffset(0);
    setSaved(null);
    upsert.reset();
  };

  const save = () =>
    upsert.mutate(
      { rows: quotaRequestRows(parsed.rows) },
      {
        onSuccess: (report) => {
          setSaved(report);
          notifications.show({ color: 'green', message: `Quotas saved: ${report.inserted} new, ${report.updated} changed.` });
        },
        onError: () => {
          setShow('problems');
          setOffset(0);
        },
      },
    );

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="quota-source">
        <Title order={2} fz="md" id="quota-source" mb={4}>
          Upload quotas
        </Title>
        <Text fz="sm" mb="xs">
          One row per participant and period: participant reference, period start, period end, amount, currency. Dates are written YYYY-MM-DD and the period end
          is the first day after the period (2027-01-01 to 2027-04-01 is the first quarter). Amounts are in major units (250000 or 180000.50). A header row is
          optional; commas, semicolons or tabs separate the values. A quota for the same participant and period start replaces the one saved.
        </Text>
        <Code block fz="xs" mb="sm" aria-label="Example">
          {quotaCsvExample}
        </Code>
        <Stack gap="sm">
          <FileInput
            label="Quota file (CSV)"
            description="A .csv or .txt file"
            accept=".csv,.txt,text/csv,text/plain"
            value={file}
            clearable
            onChange={(f) => {
              setFile(f);
              if (f) void f.text().then(changeText);
              else changeText('');
            }}
            w={420}
          />
          <Textarea
            label="Or paste the rows"
            description="From a spreadsheet or a CSV file"
            autosize
            minRows={4}
            maxRows={12}
            value={text}
            onChange={(e) => changeText(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
          />
        </Stack>
      </Paper>

      {text.trim() !== '' && (
        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="quota-preview">
          <Group justify="space-between" mb="xs">
            <Stack gap={0}>
              <Title order={2} fz="md" id="quota-preview">
                Preview
              </Title>
              <Text fz="sm" c="dimmed" aria-live="polite">
                {formatInteger(rows.length)} row{rows.length === 1 ? '' : 's'}
                {parsed.hasHeader ? ' after the header' : ''} ·{' '}
                {withProblems.length === 0 ? 'no problems' : `${formatInteger(withProblems.length)} with problems`}
              </Text>
            </Stack>
            <Group gap="sm">
              <SegmentedControl
                aria-label="Rows shown"
                size="xs"
                value={show}
                onChange={(v) => {
                  setShow(v);
                  setOffset(0);
                }}
                data={[
                  { value: 'all', label: 'All rows' },
                  { value: 'problems', label: `Rows with problems (${withProblems.length})` },
                ]}
              />
              <Button
                leftSection={<IconUpload size={16} aria-hidden />}
                onClick={save}
                loading={upsert.isPending}
                disabled={rows.length === 0 || clientProblems > 0 || fileProblems.length > 0 || saved !== null}
              >
                Save quotas
              </Button>
            </Group>
          </Group>

          {fileProblems.length > 0 && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} aria-hidden />} mb="sm" role="alert">
              <List size="sm">
                {fileProblems.map((p) => (
                  <List.Item key={p}>{p}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          {clientProblems > 0 && (
            <Text fz="sm" c="red.9" mb="sm">
              Fix the {clientProblems} row{clientProblems === 1 ? '' : 's'} with problems before saving: nothing is saved while any row has one.
            </Text>
          )}
          {rejection && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} aria-hidden />} mb="sm" role="alert" title="Nothing was saved">
              <Text fz="sm">{rejection.detail}. Every problem is shown at its row; fix them and save again.</Text>
              {server.general.length > 0 && (
                <List size="sm" mt={4}>
                  {server.general.map((p) => (
                    <List.Item key={p}>{p}</List.Item>
                  ))}
                </List>
              )}
            </Alert>
          )}
          {upsert.error !== null && !serverRejected && <FormError error={upsert.error} />}
          {saved && (
            <Alert color="green" variant="light" icon={<IconCheck size={18} aria-hidden />} mb="sm" role="status" title="Quotas saved">
              <Text fz="sm">
                {formatInteger(saved.inserted)} new, {formatInteger(saved.updated)} changed, {formatInteger(saved.unchanged)} unchanged.
              </Text>
            </Alert>
          )}

          <Table.ScrollContainer minWidth={760}>
            <Table aria-label="Quota rows" fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th ta="right">Line</Table.Th>
                  <Table.Th>Participant ref</Table.Th>
                  <Table.Th>Period start</Table.Th>
                  <Table.Th>Period end</Table.Th>
                  <Table.Th ta="right">Amount</Table.Th>
                  <Table.Th>Problems</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.length === 0 && <EmptyRows colSpan={6}>{show === 'problems' ? 'No row has a problem.' : 'No rows.'}</EmptyRows>}
                {page.map((r) => (
                  <Table.Tr key={r.index} bg={r.all.length > 0 ? 'var(--mantine-color-red-0)' : undefined}>
                    <Table.Td ta="right">{r.line}</Table.Td>
                    <Table.Td ff="monospace">{r.externalRef || '—'}</Table.Td>
                    <Table.Td>{r.periodStart || '—'}</Table.Td>
                    <Table.Td>{r.periodEnd || '—'}</Table.Td>
                    <Table.Td ta="right">
                      {r.amountMinor !== null ? moneyText(r.amountMinor, r.currency) : `${r.amountText} ${r.currency}`.trim() || '—'}
                    </Table.Td>
                    <Table.Td>
                      {r.all.length === 0 ? (
                        <Text span fz="sm" c="dimmed">
                          OK
                        </Text>
                      ) : (
                        <List size="sm" c="red.9" spacing={0}>
                          {r.all.map((p) => (
                            <List.Item key={p}>{p}</List.Item>
                          ))}
                        </List>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager total={listed.length} limit={pageSize} offset={offset} onOffsetChange={setOffset} noun="rows" />
        </Paper>
      )}
    </Stack>
  );
}
