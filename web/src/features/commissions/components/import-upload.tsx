import { Button, FileInput, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useState, type DragEvent } from 'react';
import { FormError } from '../../../components/ui/form-error.tsx';

const accept = '.csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Choose or drop a CSV or XLSX file of transactions and upload it. */
export function ImportUpload({ pending, error, onUpload }: { pending: boolean; error: unknown; onUpload: (file: File) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    const dropped = e.dataTransfer.files[0];
    if (dropped) setFile(dropped);
  };
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="upload-title">
      <Title id="upload-title" order={2} fz="md" mb={4}>
        Upload transactions
      </Title>
      <Text fz="sm" c="dimmed" mb="sm">
        A CSV (UTF-8; comma, semicolon or tab separated) or an XLSX workbook (first worksheet) whose first row names the columns. You map the columns and see
        every bad row before anything is stored. Uploading the same file again shows the batch it was first imported as.
      </Text>
      <div
        data-testid="import-dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        style={{
          border: `2px dashed var(--mantine-color-${over ? 'realign-6' : 'gray-4'})`,
          borderRadius: 'var(--mantine-radius-md)',
          padding: 'var(--mantine-spacing-md)',
          background: over ? 'var(--mantine-color-realign-0)' : undefined,
        }}
      >
        <Stack gap="xs">
          <Text fz="sm">Drop a file here, or choose one:</Text>
          <Group align="flex-end" gap="sm">
            <FileInput
              label="Transactions file"
              description="A .csv or .xlsx file"
              accept={accept}
              value={file}
              onChange={setFile}
              clearable
              w={360}
              maw="100%"
            />
            <Button leftSection={<IconUpload size={16} aria-hidden />} disabled={file === null} loading={pending} onClick={() => file && onUpload(file)}>
              Upload
            </Button>
          </Group>
        </Stack>
      </div>
      <FormError error={error} />
    </Paper>
  );
}
