import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';

export type Customer = components['schemas']['Customer'];
type CustomerPage = components['schemas']['CustomerPage'];
type MeterPage = components['schemas']['MeterPage'];
type SimPage = components['schemas']['SimPage'];

export type CustomerFilters = { area?: string; q?: string; sort?: string };
export type CustomerListParams = CustomerFilters & { page?: number; page_size?: number };

export const customersQueryKey = ['customers'] as const;

export const getCustomers = (params: CustomerListParams, signal?: AbortSignal) =>
  api.get<CustomerPage>('/customers', { query: params, signal });

export const customersQueryOptions = (params: CustomerListParams) =>
  queryOptions({
    queryKey: [...customersQueryKey, 'list', params],
    queryFn: ({ signal }) => getCustomers(params, signal),
    placeholderData: keepPreviousData,
  });

export const useCustomers = (params: CustomerListParams) => useQuery(customersQueryOptions(params));

/**
 * Meters that can be given to a customer: those assigned to nobody. Kept under the customers key
 * because assigning one changes the answer.
 */
export const archiveMetersQueryOptions = () =>
  queryOptions({
    queryKey: [...customersQueryKey, 'archive-meters'],
    queryFn: ({ signal }) =>
      api.get<MeterPage>('/meters', { query: { unassigned: 'true', page_size: 500, sort: 'meter_number' }, signal }),
  });

export const useArchiveMeters = () => useQuery(archiveMetersQueryOptions());

export const simOptionsQueryOptions = () =>
  queryOptions({
    queryKey: [...customersQueryKey, 'sim-options'],
    queryFn: ({ signal }) => api.get<SimPage>('/sims', { query: { page_size: 500, sort: 'sim_number' }, signal }),
  });

export const useSimOptions = () => useQuery(simOptionsQueryOptions());
