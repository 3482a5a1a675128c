import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components, operations } from '@/lib/api/schema';
import { operationsQueryKey } from '@/features/operations/api/keys';
import { downloadReport, type ReportFormat } from '@/features/operations/api/reports';

export type ConsumptionReport = components['schemas']['ConsumptionReport'];
export type ConsumptionRow = components['schemas']['ConsumptionRow'];

export type ConsumptionParams = NonNullable<operations['consumption']['parameters']['query']>;

export const GRANULARITIES = ['hourly', 'daily', 'weekly', 'monthly'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const getConsumption = (params: ConsumptionParams, signal?: AbortSignal) =>
  api.get<ConsumptionReport>('/consumption', { query: params, signal });

export const consumptionQueryOptions = (params: ConsumptionParams) =>
  queryOptions({
    queryKey: [...operationsQueryKey, 'consumption', params],
    queryFn: ({ signal }) => getConsumption(params, signal),
    placeholderData: keepPreviousData,
  });

export const useConsumption = (params: ConsumptionParams, enabled = true) =>
  useQuery({ ...consumptionQueryOptions(params), enabled });

export const exportConsumption = (params: ConsumptionParams, format: ReportFormat) =>
  downloadReport('/consumption/export', 'consumption', format, params);
