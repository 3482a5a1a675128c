import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';

export type Meter = components['schemas']['Meter'];
export type MeterStatus = Meter['status'];
type MeterPage = components['schemas']['MeterPage'];
type AreaPage = components['schemas']['AreaPage'];
type DeviceProfilePage = components['schemas']['DeviceProfilePage'];

export const METER_STATUSES = ['warehouse', 'installed', 'active', 'faulty', 'decommissioned'] as const satisfies readonly MeterStatus[];

export type MeterFilters = { area?: string; status?: MeterStatus; q?: string; sort?: string };
export type MeterListParams = MeterFilters & { page?: number; page_size?: number };

export const metersQueryKey = ['meters'] as const;

export const getMeters = (params: MeterListParams, signal?: AbortSignal) =>
  api.get<MeterPage>('/meters', { query: params, signal });

export const metersQueryOptions = (params: MeterListParams) =>
  queryOptions({
    queryKey: [...metersQueryKey, 'list', params],
    queryFn: ({ signal }) => getMeters(params, signal),
    placeholderData: keepPreviousData,
  });

export const useMeters = (params: MeterListParams) => useQuery(metersQueryOptions(params));

/** The areas a meter can be put in, for the meter form. */
export const meterAreaOptionsQueryOptions = () =>
  queryOptions({
    queryKey: [...metersQueryKey, 'area-options'],
    queryFn: ({ signal }) => api.get<AreaPage>('/areas', { query: { page_size: 500, sort: 'name' }, signal }),
    staleTime: 60_000,
  });

export const useMeterAreaOptions = () => useQuery(meterAreaOptionsQueryOptions());

/** The device profiles a meter can use, for the meter form. */
export const meterProfileOptionsQueryOptions = () =>
  queryOptions({
    queryKey: [...metersQueryKey, 'profile-options'],
    queryFn: ({ signal }) =>
      api.get<DeviceProfilePage>('/device-profiles', { query: { page_size: 500, sort: 'brand' }, signal }),
    staleTime: 60_000,
  });

export const useMeterProfileOptions = () => useQuery(meterProfileOptionsQueryOptions());
