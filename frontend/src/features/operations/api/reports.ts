import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, type QueryParams } from '@/lib/api-client';
import type { components, operations } from '@/lib/api/schema';
import { downloadCsv } from '@/lib/csv';
import { useInvalidatingMutation } from '@/lib/react-query';
import { operationsQueryKey } from '@/features/operations/api/keys';

export type Report = components['schemas']['Report'];
type ReportPage = components['schemas']['ReportPage'];
export type ReportCreate = components['schemas']['ReportCreate'];
type ReportAccepted = components['schemas']['ReportAccepted'];
export type ReportSchedule = components['schemas']['ReportSchedule'];
type ReportSchedules = components['schemas']['ReportSchedules'];
type ReportSchedulesPut = components['schemas']['ReportSchedulesPut'];

export type ReportListParams = NonNullable<operations['list_reports']['parameters']['query']>;
export type ReportFormat = ReportCreate['format'];
export type ReportKind = ReportCreate['kind'];
export type ScheduleCadence = ReportSchedule['cadence'];

export const REPORT_KINDS: ReportKind[] = ['consumption', 'events', 'online-rate'];
export const REPORT_FORMATS: ReportFormat[] = ['csv', 'pdf'];
export const CADENCES: ScheduleCadence[] = ['daily', 'monthly'];

/** How often the file list asks again while a report is still queued or running. */
export const REPORT_POLL_MS = 3_000;

const reportsQueryKey = [...operationsQueryKey, 'reports'] as const;
const schedulesQueryKey = [...operationsQueryKey, 'report-schedules'] as const;

/** A report's table as CSV or PDF, for the same filters as shown; the server names the file. */
export const downloadReport = (path: string, name: string, format: ReportFormat, filters: QueryParams) =>
  downloadCsv(path, `${name}.${format}`, { ...filters, format });

export const isBuilding = (report: Report) => report.status === 'queued' || report.status === 'running';

export const getReports = (params: ReportListParams, signal?: AbortSignal) =>
  api.get<ReportPage>('/reports', { query: params, signal });

export const reportsQueryOptions = (params: ReportListParams) =>
  queryOptions({
    queryKey: [...reportsQueryKey, 'list', params],
    queryFn: ({ signal }) => getReports(params, signal),
    placeholderData: keepPreviousData,
    // Only while a file is being built: a finished list does not change by itself but for the schedules.
    refetchInterval: (query) => (query.state.data?.items.some(isBuilding) ? REPORT_POLL_MS : false),
  });

export const useReports = (params: ReportListParams) => useQuery(reportsQueryOptions(params));

/** Queues a report file (202); it shows in the list, queued, at once. */
export const startReport = (body: ReportCreate) => api.post<ReportAccepted>('/reports', { json: body });

export const useStartReport = () => useInvalidatingMutation(startReport, reportsQueryKey);

export const schedulesQueryOptions = () =>
  queryOptions({
    queryKey: schedulesQueryKey,
    queryFn: ({ signal }) => api.get<ReportSchedules>('/reports/schedules', { signal }),
  });

export const useReportSchedules = () => useQuery(schedulesQueryOptions());

/** Replaces every scheduled export with `items`. */
export const putSchedules = (body: ReportSchedulesPut) => api.put<ReportSchedules>('/reports/schedules', { json: body });

export const usePutSchedules = () => useInvalidatingMutation(putSchedules, schedulesQueryKey);
