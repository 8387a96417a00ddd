import { useMutation } from '@tanstack/react-query';
import type { PlanExportView } from '../../../../../common/api/comp-plans.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { compPaths } from './paths.ts';

export function exportPlanVersion(id: string, format: 'json' | 'yaml'): Promise<PlanExportView> {
  return api.get<PlanExportView>(withQuery(compPaths.versionExport(id), { format }));
}

/** Fetches the export and hands it to the browser as a download. */
export function useExportPlanVersion() {
  return useMutation({
    mutationFn: ({ id, format }: { id: string; format: 'json' | 'yaml' }) => exportPlanVersion(id, format),
    onSuccess: (file) => {
      const url = URL.createObjectURL(new Blob([file.text], { type: file.contentType }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.fileName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1_000);
    },
  });
}
