import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';

export type Meter = components['schemas']['Meter'];
export type MeterStatus = components['schemas']['MeterStatus'];
export type MeterReadings = components['schemas']['MeterReadings'];
export type Customer = components['schemas']['Customer'];
export type DeviceProfile = components['schemas']['DeviceProfile'];
export type CosemObject = components['schemas']['CosemObject'];
type MeterPage = components['schemas']['MeterPage'];
type DeviceProfilePage = components['schemas']['DeviceProfilePage'];

export type MeterListParams = {
  q?: string;
  area?: string;
  status?: Meter['status'];
  sort?: string;
  page?: number;
  page_size?: number;
};

/** Everything the meter operation pages read; jobs live under it too (see jobs.ts). */
export const meterOpsQueryKey = ['meter-ops'] as const;

/** How often presence (online, last seen) is asked again while a page shows it. */
export const PRESENCE_REFRESH_MS = 10_000;

const meterPath = (meterNumber: string) => `/meters/${encodeURIComponent(meterNumber)}`;

export const meterListQueryOptions = (params: MeterListParams) =>
  queryOptions({
    queryKey: [...meterOpsQueryKey, 'meters', params],
    queryFn: ({ signal }) => api.get<MeterPage>('/meters', { query: params, signal }),
    placeholderData: keepPreviousData,
    refetchInterval: PRESENCE_REFRESH_MS * 3,
  });

export const useMeterList = (params: MeterListParams) => useQuery(meterListQueryOptions(params));

export const meterQueryOptions = (meterNumber: string) =>
  queryOptions({
    queryKey: [...meterOpsQueryKey, 'meter', meterNumber],
    queryFn: ({ signal }) => api.get<Meter>(meterPath(meterNumber), { signal }),
  });

export const useMeter = (meterNumber: string, enabled = true) => useQuery({ ...meterQueryOptions(meterNumber), enabled });

export const meterStatusQueryOptions = (meterNumber: string) =>
  queryOptions({
    queryKey: [...meterOpsQueryKey, 'status', meterNumber],
    queryFn: ({ signal }) => api.get<MeterStatus>(`${meterPath(meterNumber)}/status`, { signal }),
    refetchInterval: PRESENCE_REFRESH_MS,
  });

export const useMeterStatus = (meterNumber: string) => useQuery(meterStatusQueryOptions(meterNumber));

/** The latest pushed values (already scaled by the server) and today's and yesterday's interval readings. */
export const meterReadingsQueryOptions = (meterNumber: string) =>
  queryOptions({
    queryKey: [...meterOpsQueryKey, 'readings', meterNumber],
    queryFn: ({ signal }) => api.get<MeterReadings>(`${meterPath(meterNumber)}/readings`, { signal }),
    refetchInterval: PRESENCE_REFRESH_MS * 3,
  });

export const useMeterReadings = (meterNumber: string) => useQuery(meterReadingsQueryOptions(meterNumber));

export const customerQueryOptions = (id: string) =>
  queryOptions({
    queryKey: [...meterOpsQueryKey, 'customer', id],
    queryFn: ({ signal }) => api.get<Customer>(`/customers/${encodeURIComponent(id)}`, { signal }),
    staleTime: 60_000,
  });

export const useCustomer = (id: string | null, enabled: boolean) =>
  useQuery({ ...customerQueryOptions(id ?? ''), enabled: Boolean(id) && enabled });

/**
 * A meter's device profile: its own, or the default profile for meters without one
 * (`id` null). Profiles change rarely while an operator works on a meter.
 */
export const profileQueryOptions = (id: string | null) =>
  queryOptions({
    queryKey: [...meterOpsQueryKey, 'profile', id ?? 'default'],
    queryFn: async ({ signal }): Promise<DeviceProfile | null> => {
      if (id) return api.get<DeviceProfile>(`/device-profiles/${encodeURIComponent(id)}`, { signal });
      const profiles = await api.get<DeviceProfilePage>('/device-profiles', { query: { page_size: 500 }, signal });
      return profiles.items.find((profile) => profile.is_default) ?? null;
    },
    staleTime: 60_000,
  });

export const useProfile = (id: string | null, enabled = true) => useQuery({ ...profileQueryOptions(id), enabled });
