import type { QueryParams } from '@/lib/api-client';
import { downloadCsv } from '@/lib/csv';

export type ReportFormat = 'csv' | 'pdf';

/** A report's table as CSV or PDF, for the same filters as shown; the server names the file. */
export const downloadReport = (path: string, name: string, format: ReportFormat, filters: QueryParams) =>
  downloadCsv(path, `${name}.${format}`, { ...filters, format });
