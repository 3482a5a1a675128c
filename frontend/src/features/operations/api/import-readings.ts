import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';
import type { ImportVariables } from '@/lib/csv';
import { operationsQueryKey } from '@/features/operations/api/keys';

export type ReadingImportReport = components['schemas']['ReadingImportReport'];
type UploadTarget = components['schemas']['ImportUploadTarget'];
type UploadStatus = components['schemas']['ImportUploadStatus'];

/** Larger files go to S3 first and import in the background: the cloud API takes at most 10 MB a request. */
export const DIRECT_IMPORT_LIMIT = 8 * 1024 * 1024;
const POLL_MS = 1000;

/** A file already uploaded keeps its upload: the dry run and the import that follows send it once. */
const uploaded = new WeakMap<File, string>();

async function upload(file: File): Promise<string> {
  const known = uploaded.get(file);
  if (known) return known;
  const target = await api.post<UploadTarget>('/readings/import/uploads', { json: { filename: file.name } });
  if (target.with_credentials) {
    await api.put(target.upload_url.replace(/^\/api\/v1/, ''), { body: file, contentType: target.content_type });
  } else {
    const response = await fetch(target.upload_url, {
      method: target.method,
      body: file,
      headers: { 'Content-Type': target.content_type },
    });
    if (!response.ok) throw new ApiError(response.status, 'upload_failed', `The file could not be uploaded (${response.status}).`);
  }
  uploaded.set(file, target.id);
  return target.id;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Uploads a large file, runs the dry run or the import in the background and waits for its report. */
async function importInBackground(file: File, dryRun: boolean): Promise<ReadingImportReport> {
  const id = await upload(file);
  let state = await api.post<UploadStatus>(`/readings/import/uploads/${id}/run`, { query: { dry_run: dryRun } });
  while (state.status !== 'done' && state.status !== 'failed') {
    await sleep(POLL_MS);
    state = await api.get<UploadStatus>(`/readings/import/uploads/${id}`);
  }
  if (state.status === 'failed' || !state.report) {
    throw new ApiError(422, 'validation_failed', state.error ?? 'Nothing was imported.', state.errors);
  }
  return state.report;
}

/** Uploads interval readings as CSV; `dryRun` only checks the file and reports what would be written. */
export const importReadings = ({ file, dryRun }: ImportVariables) =>
  file.size > DIRECT_IMPORT_LIMIT
    ? importInBackground(file, dryRun)
    : api.post<ReadingImportReport>('/readings/import', {
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
