import { Alert, Button, Skeleton } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { useImport, useUploadImport } from '../../features/commissions/api/imports.ts';
import { canManageCommissions } from '../../features/commissions/commissions-format.ts';
import { ImportBatch } from '../../features/commissions/components/import-batch.tsx';
import { ImportUpload } from '../../features/commissions/components/import-upload.tsx';
import { ImportsTable } from '../../features/commissions/components/imports-table.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';

const crumbs = [{ label: 'Commissions', to: '/commissions' }, { label: 'Imports' }];

/** Upload sales transactions, map their columns, read the validation report and commit. */
export function CommissionsImportsPage() {
  const session = useCurrentSession();
  const [params, setParams] = useSearchParams();
  const id = params.get('id');
  const [replayedId, setReplayedId] = useState<string | null>(null);
  const allowed = canManageCommissions(session.user);
  const upload = useUploadImport();
  const batch = useImport(allowed ? id : null);

  return (
    <>
      <PageHeader
        title="Transaction imports"
        description="Load sales transactions from a file: map its columns, see every bad row with its line and reason, then store the good rows or nothing."
        crumbs={crumbs}
        actions={
          id !== null && allowed ? (
            <Button variant="default" onClick={() => setParams({})}>
              New upload
            </Button>
          ) : undefined
        }
      />
      {!allowed ? (
        <Alert color="gray" variant="light">
          Compensation administrators, administrators and finance import transactions.
        </Alert>
      ) : (
        <>
          {id === null ? (
            <ImportUpload
              pending={upload.isPending}
              error={upload.error}
              onUpload={(file) =>
                upload.mutate(
                  { file, csrfToken: session.csrfToken },
                  {
                    onSuccess: (v) => {
                      setReplayedId(v.replayed ? v.id : null);
                      setParams({ id: v.id });
                    },
                  },
                )
              }
            />
          ) : batch.isPending ? (
            <Skeleton h={240} mb="md" />
          ) : batch.isError ? (
            <QueryError error={batch.error} onRetry={() => void batch.refetch()} />
          ) : (
            <ImportBatch key={`${batch.data.id}:${batch.data.validatedAt ?? ''}`} batch={batch.data} replayed={replayedId === batch.data.id} />
          )}
          <ImportsTable current={id} />
        </>
      )}
    </>
  );
}
