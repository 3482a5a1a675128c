import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';
import { LIVE_REFRESH_MS, operationsQueryKey } from '@/features/operations/api/keys';

export type DashboardSummary = components['schemas']['DashboardSummary'];

/** `area` '' is all areas. */
export const getDashboard = (area: string, signal?: AbortSignal) =>
  api.get<DashboardSummary>('/dashboard/summary', { query: { area }, signal });

export const dashboardQueryOptions = (area: string) =>
  queryOptions({
    queryKey: [...operationsQueryKey, 'dashboard', area],
    queryFn: ({ signal }) => getDashboard(area, signal),
    refetchInterval: LIVE_REFRESH_MS,
  });

export const useDashboard = (area: string) => useQuery(dashboardQueryOptions(area));
