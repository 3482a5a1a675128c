import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { api, type QueryParams } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';

export type ImportReport = components['schemas']['ImportReport'];
export type CsvResource = 'meters' | 'sims' | 'customers';

export interface ImportVariables {
  file: File;
  dryRun: boolean;
}

/** Uploads a CSV file to an import endpoint; `dryRun` only checks it and reports. */
const importFile = (path: string, { file, dryRun }: ImportVariables) =>
  api.post<ImportReport>(path, {
    query: { dry_run: dryRun || undefined },
    body: file,
    contentType: 'text/csv',
  });

/**
 * Dry run and real import share one mutation; only a real import changes data, so only it invalidates.
 * `path` is any endpoint answering an ImportReport (e.g. `/meters/import`).
 */
export function useImportFile(path: string, invalidates: QueryKey) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (variables: ImportVariables) => importFile(path, variables),
    onSuccess: (report) => {
      if (!report.dry_run) return queryClient.invalidateQueries({ queryKey: invalidates });
    },
    meta: { errorToast: false },
  });
}

export const useImportCsv = (resource: CsvResource, invalidates: QueryKey) =>
  useImportFile(`/${resource}/import`, invalidates);

function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export async function downloadCsv(path: string, fallbackName: string, query?: QueryParams) {
  const { blob, filename } = await api.download(path, query);
  saveBlob(blob, filename ?? fallbackName);
}

export const downloadTemplate = (resource: CsvResource) =>
  downloadCsv(`/${resource}/import/template`, `${resource}-template.csv`);

export const exportCsv = (resource: CsvResource, filters: QueryParams) =>
  downloadCsv(`/${resource}/export`, `${resource}.csv`, filters);

/** A download started by a button: pending state for the button, a toast if it fails. */
export const useDownload = (download: () => Promise<void>) =>
  useMutation({ mutationFn: download, meta: { errorTitle: 'Download failed' } });
