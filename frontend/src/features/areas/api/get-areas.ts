import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';

export type Area = components['schemas']['Area'];
type AreaPage = components['schemas']['AreaPage'];

export type AreaListParams = { q?: string; sort?: string; page?: number; page_size?: number };

export const areasQueryKey = ['areas'] as const;

export const getAreas = (params: AreaListParams, signal?: AbortSignal) =>
  api.get<AreaPage>('/areas', { query: params, signal });

export const areasQueryOptions = (params: AreaListParams) =>
  queryOptions({
    queryKey: [...areasQueryKey, 'list', params],
    queryFn: ({ signal }) => getAreas(params, signal),
    placeholderData: keepPreviousData,
  });

export const useAreas = (params: AreaListParams) => useQuery(areasQueryOptions(params));

/** Every area, for the header's area selector. */
export const areaOptionsQueryOptions = () =>
  queryOptions({
    queryKey: [...areasQueryKey, 'options'],
    queryFn: ({ signal }) => getAreas({ page_size: 500, sort: 'name' }, signal),
    staleTime: 5 * 60_000,
  });

export const useAreaOptions = () => useQuery(areaOptionsQueryOptions());
