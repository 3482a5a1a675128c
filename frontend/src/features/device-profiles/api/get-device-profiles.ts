import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';

export type DeviceProfile = components['schemas']['DeviceProfile'];
export type CosemObject = components['schemas']['CosemObject'];
export type PushEntry = components['schemas']['PushEntry'];
type DeviceProfilePage = components['schemas']['DeviceProfilePage'];
type ObisCatalogPage = components['schemas']['ObisCatalogPage'];
export type ObisCatalogEntry = components['schemas']['ObisCatalogEntry'];

export type DeviceProfileListParams = { q?: string; sort?: string; page?: number; page_size?: number };

export const deviceProfilesQueryKey = ['device-profiles'] as const;

const profilePath = (id: string) => `/device-profiles/${encodeURIComponent(id)}`;

export const getDeviceProfiles = (params: DeviceProfileListParams, signal?: AbortSignal) =>
  api.get<DeviceProfilePage>('/device-profiles', { query: params, signal });

export const deviceProfilesQueryOptions = (params: DeviceProfileListParams) =>
  queryOptions({
    queryKey: [...deviceProfilesQueryKey, 'list', params],
    queryFn: ({ signal }) => getDeviceProfiles(params, signal),
    placeholderData: keepPreviousData,
  });

export const useDeviceProfiles = (params: DeviceProfileListParams) => useQuery(deviceProfilesQueryOptions(params));

export const getDeviceProfile = (id: string, signal?: AbortSignal) => api.get<DeviceProfile>(profilePath(id), { signal });

export const deviceProfileQueryOptions = (id: string) =>
  queryOptions({
    queryKey: [...deviceProfilesQueryKey, 'detail', id],
    queryFn: ({ signal }) => getDeviceProfile(id, signal),
  });

export const useDeviceProfile = (id: string) => useQuery(deviceProfileQueryOptions(id));

/** The standard OBIS catalogue (gurux's), by code prefix or words. It does not change while the app runs. */
export const obisCatalogQueryOptions = (q: string, limit = 10) =>
  queryOptions({
    queryKey: ['obis-catalog', q, limit],
    queryFn: ({ signal }) => api.get<ObisCatalogPage>('/obis/catalog', { query: { q, limit }, signal }),
    enabled: q.trim().length > 0,
    staleTime: Infinity,
  });

export const useObisCatalog = (q: string) => useQuery(obisCatalogQueryOptions(q));
