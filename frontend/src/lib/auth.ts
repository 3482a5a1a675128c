import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';
import { tokenStorage } from '@/lib/token-storage';

export type UserInfo = components['schemas']['UserInfo'];
export type TokenResponse = components['schemas']['TokenResponse'];

export const getMe = () => api.get<UserInfo>('/auth/me');

/** The signed-in user, or null when there is no session. */
export const userQueryOptions = () =>
  queryOptions({
    queryKey: ['auth', 'me'],
    queryFn: () => (tokenStorage.access() ? getMe() : null),
    staleTime: Infinity,
  });

export const useUser = () => useQuery(userQueryOptions());

export function startSession(queryClient: QueryClient, tokens: TokenResponse) {
  tokenStorage.save(tokens);
  queryClient.setQueryData(userQueryOptions().queryKey, tokens.user);
}

export function endSession(queryClient: QueryClient) {
  tokenStorage.clear();
  queryClient.setQueryData(userQueryOptions().queryKey, null);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
}
