import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components, operations } from '@/lib/api/schema';
import { downloadCsv } from '@/lib/csv';

export type LossOverview = components['schemas']['LossOverview'];
export type AreaBalance = components['schemas']['AreaBalance'];
export type AreaLossReport = components['schemas']['AreaLossReport'];
export type BalanceDay = components['schemas']['BalanceDay'];

export type LossParams = NonNullable<operations['list_losses']['parameters']['query']>;
type AreaLossParams = NonNullable<operations['area_losses']['parameters']['query']>;
export type LossFormat = 'csv' | 'pdf';

/** Everything the technical loss page reads; changing an area's supply setting invalidates it. */
export const lossesQueryKey = ['losses'] as const;

export const getLosses = (params: LossParams, signal?: AbortSignal) =>
  api.get<LossOverview>('/losses', { query: params, signal });

export const lossesQueryOptions = (params: LossParams) =>
  queryOptions({
    queryKey: [...lossesQueryKey, 'overview', params],
    queryFn: ({ signal }) => getLosses(params, signal),
    placeholderData: keepPreviousData,
  });

export const useLosses = (params: LossParams) => useQuery(lossesQueryOptions(params));

export const getAreaLosses = (areaId: string, params: AreaLossParams, signal?: AbortSignal) =>
  api.get<AreaLossReport>(`/losses/${encodeURIComponent(areaId)}`, { query: params, signal });

export const areaLossesQueryOptions = (areaId: string, params: AreaLossParams) =>
  queryOptions({
    queryKey: [...lossesQueryKey, 'area', areaId, params],
    queryFn: ({ signal }) => getAreaLosses(areaId, params, signal),
    placeholderData: keepPreviousData,
  });

export const useAreaLosses = (areaId: string | null, params: AreaLossParams) =>
  useQuery({ ...areaLossesQueryOptions(areaId ?? '', params), enabled: areaId !== null });

/** The balance as CSV (every area's days) or PDF (one area's days and trend, or every area's totals). */
export const exportLosses = (params: LossParams, format: LossFormat) =>
  downloadCsv('/losses/export', `losses.${format}`, { ...params, format });
