import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components, operations } from '@/lib/api/schema';
import { downloadReport, type ReportFormat } from '@/features/operations/api/reports';

export type LeakageSummary = components['schemas']['LeakageSummary'];
export type LeakageCounts = components['schemas']['LeakageCounts'];
export type LeakageArea = components['schemas']['LeakageArea'];
export type LeakageMeter = components['schemas']['LeakageMeter'];
type LeakageMeterPage = components['schemas']['LeakageMeterPage'];
export type Indicator = LeakageMeterPage['indicator'];

/** Period, offline threshold and area: what the summary, the lists and their downloads share. */
export type LeakageFilters = NonNullable<operations['leakage_summary']['parameters']['query']>;
export type LeakageMeterParams = NonNullable<operations['leakage_meters']['parameters']['query']>;

/** Everything the leakage page reads. */
export const leakageQueryKey = ['leakage'] as const;

export const getLeakageSummary = (filters: LeakageFilters, signal?: AbortSignal) =>
  api.get<LeakageSummary>('/leakage/summary', { query: filters, signal });

export const leakageSummaryQueryOptions = (filters: LeakageFilters) =>
  queryOptions({
    queryKey: [...leakageQueryKey, 'summary', filters],
    queryFn: ({ signal }) => getLeakageSummary(filters, signal),
    placeholderData: keepPreviousData,
  });

export const useLeakageSummary = (filters: LeakageFilters) => useQuery(leakageSummaryQueryOptions(filters));

export const getLeakageMeters = (indicator: Indicator, params: LeakageMeterParams, signal?: AbortSignal) =>
  api.get<LeakageMeterPage>(`/leakage/meters/${indicator}`, { query: params, signal });

export const leakageMetersQueryOptions = (indicator: Indicator, params: LeakageMeterParams) =>
  queryOptions({
    queryKey: [...leakageQueryKey, 'meters', indicator, params],
    queryFn: ({ signal }) => getLeakageMeters(indicator, params, signal),
    placeholderData: keepPreviousData,
  });

export const useLeakageMeters = (indicator: Indicator, params: LeakageMeterParams) =>
  useQuery(leakageMetersQueryOptions(indicator, params));

export const exportLeakageSummary = (filters: LeakageFilters, format: ReportFormat) =>
  downloadReport('/leakage/summary/export', 'leakage-summary', format, filters);

export const exportLeakageMeters = (indicator: Indicator, filters: LeakageFilters, format: ReportFormat) =>
  downloadReport(`/leakage/meters/${indicator}/export`, `leakage-${indicator}`, format, filters);
