import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';
import type { ImportVariables } from '@/lib/csv';
import { operationsQueryKey } from '@/features/operations/api/keys';

export type ReadingImportReport = components['schemas']['ReadingImportReport'];

/** Uploads interval readings as CSV; `dryRun` only checks the file and reports what would be written. */
export const importReadings = ({ file, dryRun }: ImportVariables) =>
  api.post<ReadingImportReport>('/readings/import', {
    query: { dry_run: dryRun },
    body: file,
    contentType: 'text/csv',
  });

/** Dry run and real import share one mutation; only a real import changes the reports. */
export function useImportReadings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: importReadings,
    onSuccess: (report) => {
      if (!report.dry_run) return queryClient.invalidateQueries({ queryKey: operationsQueryKey });
    },
    meta: { errorToast: false },
  });
}
