import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components, operations } from '@/lib/api/schema';
import { operationsQueryKey } from '@/features/operations/api/keys';
import { downloadReport, type ReportFormat } from '@/features/operations/api/reports';

export type OnlineRow = components['schemas']['OnlineRow'];
type OnlineRatePage = components['schemas']['OnlineRatePage'];

export type OnlineRateParams = NonNullable<operations['online_rate']['parameters']['query']>;
export type OnlineRateFilters = Omit<OnlineRateParams, 'page' | 'page_size'>;

/** '' lists every meter. */
export type OnlineFilter = '' | 'never' | 'online';

export const getOnlineRate = (params: OnlineRateParams, signal?: AbortSignal) =>
  api.get<OnlineRatePage>('/online-rate', { query: params, signal });

export const onlineRateQueryOptions = (params: OnlineRateParams) =>
  queryOptions({
    queryKey: [...operationsQueryKey, 'online-rate', params],
    queryFn: ({ signal }) => getOnlineRate(params, signal),
    placeholderData: keepPreviousData,
  });

export const useOnlineRate = (params: OnlineRateParams) => useQuery(onlineRateQueryOptions(params));

export const exportOnlineRate = (filters: OnlineRateFilters, format: ReportFormat) =>
  downloadReport('/online-rate/export', 'online-rate', format, filters);
