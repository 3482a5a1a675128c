import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';

export type UnregisteredDevice = components['schemas']['UnregisteredDevice'];
type UnregisteredDevicePage = components['schemas']['UnregisteredDevicePage'];

export type UnregisteredDeviceParams = { q?: string; page?: number; page_size?: number };

export const devicesQueryKey = ['devices'] as const;

export const unregisteredDevicesQueryOptions = (params: UnregisteredDeviceParams) =>
  queryOptions({
    queryKey: [...devicesQueryKey, 'unregistered', params],
    queryFn: ({ signal }) => api.get<UnregisteredDevicePage>('/devices/unregistered', { query: params, signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });

export const useUnregisteredDevices = (params: UnregisteredDeviceParams) =>
  useQuery(unregisteredDevicesQueryOptions(params));
