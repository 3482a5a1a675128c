import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';

export type User = components['schemas']['User'];
export type Role = User['role'];
type UserPage = components['schemas']['UserPage'];
type CustomerPage = components['schemas']['CustomerPage'];

export const ROLES = ['admin', 'operator', 'viewer', 'customer'] as const satisfies readonly Role[];

export type UserListParams = { q?: string; sort?: string; page?: number; page_size?: number };

export const usersQueryKey = ['users'] as const;

export const getUsers = (params: UserListParams, signal?: AbortSignal) =>
  api.get<UserPage>('/users', { query: params, signal });

export const usersQueryOptions = (params: UserListParams) =>
  queryOptions({
    queryKey: [...usersQueryKey, 'list', params],
    queryFn: ({ signal }) => getUsers(params, signal),
    placeholderData: keepPreviousData,
  });

export const useUsers = (params: UserListParams) => useQuery(usersQueryOptions(params));

/** Customers a customer-role login can be tied to, and their names for the list. */
export const userCustomerOptionsQueryOptions = () =>
  queryOptions({
    queryKey: [...usersQueryKey, 'customer-options'],
    queryFn: ({ signal }) => api.get<CustomerPage>('/customers', { query: { page_size: 500, sort: 'name' }, signal }),
    staleTime: 60_000,
  });

export const useUserCustomerOptions = () => useQuery(userCustomerOptionsQueryOptions());
