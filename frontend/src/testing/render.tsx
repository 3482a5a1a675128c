import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';
import { AppProvider } from '@/app/provider';
import { userQueryOptions, type UserInfo } from '@/lib/auth';
import { createQueryClient } from '@/lib/react-query';
import { tokenStorage } from '@/lib/token-storage';

/** A query client as the app makes it, without retries so failures show at once. */
export function createTestQueryClient() {
  const queryClient = createQueryClient();
  const defaults = queryClient.getDefaultOptions();
  queryClient.setDefaultOptions({ ...defaults, queries: { ...defaults.queries, retry: false } });
  return queryClient;
}

/** Signs `user` in (tokens and the cached /auth/me answer) before the first render. */
export function signIn(queryClient: ReturnType<typeof createQueryClient>, user: UserInfo) {
  tokenStorage.save({ access_token: 'access-1', refresh_token: 'refresh-1' });
  queryClient.setQueryData(userQueryOptions().queryKey, user);
}

export function renderWithApp(ui: ReactElement, { user, route = '/' }: { user?: UserInfo; route?: string } = {}) {
  const queryClient = createTestQueryClient();
  if (user) signIn(queryClient, user);
  const view = render(
    <AppProvider queryClient={queryClient}>
      <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
    </AppProvider>,
  );
  return { ...view, queryClient, user: userEvent.setup() };
}
