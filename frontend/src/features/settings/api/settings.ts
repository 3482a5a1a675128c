import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';
import { useInvalidatingMutation } from '@/lib/react-query';

export type SystemSettings = components['schemas']['SystemSettingsView'];
export type SystemSettingsInput = components['schemas']['SystemSettings'];

export const settingsQueryKey = ['settings'] as const;

export const getSettings = (signal?: AbortSignal) => api.get<SystemSettings>('/settings', { signal });

export const settingsQueryOptions = () =>
  queryOptions({ queryKey: settingsQueryKey, queryFn: ({ signal }) => getSettings(signal) });

export const useSettings = () => useQuery(settingsQueryOptions());

/** PUT replaces every setting. */
export const updateSettings = (body: SystemSettingsInput) => api.put<SystemSettings>('/settings', { json: body });

export const useUpdateSettings = () => useInvalidatingMutation(updateSettings, settingsQueryKey);
