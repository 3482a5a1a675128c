import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';

export type Sim = components['schemas']['Sim'];
type SimPage = components['schemas']['SimPage'];

export type SimFilters = { area?: string; q?: string; sort?: string };
export type SimListParams = SimFilters & { page?: number; page_size?: number };

export const simsQueryKey = ['sims'] as const;

export const getSims = (params: SimListParams, signal?: AbortSignal) =>
  api.get<SimPage>('/sims', { query: params, signal });

export const simsQueryOptions = (params: SimListParams) =>
  queryOptions({
    queryKey: [...simsQueryKey, 'list', params],
    queryFn: ({ signal }) => getSims(params, signal),
    placeholderData: keepPreviousData,
  });

export const useSims = (params: SimListParams) => useQuery(simsQueryOptions(params));
