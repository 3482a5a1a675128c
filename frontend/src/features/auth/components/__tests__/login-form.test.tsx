import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { userQueryOptions } from '@/lib/auth';
import { tokenStorage } from '@/lib/token-storage';
import { LoginForm } from '@/features/auth/components/login-form';
import { apiError, fetchFake, json } from '@/testing/fetch-fake';
import { tokenResponse, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';

async function submit(username: string, password: string) {
  const view = renderWithApp(<LoginForm />);
  await view.user.type(screen.getByLabelText(/^username/i), username);
  await view.user.type(screen.getByLabelText(/^password/i), password);
  await view.user.click(screen.getByRole('button', { name: 'Log in' }));
  return view;
}

describe('LoginForm', () => {
  it('sends the credentials and starts the session', async () => {
    const operator = userInfo('operator');
    fetchFake.on('POST', '/auth/login', () => json(tokenResponse(operator)));

    const { queryClient } = await submit('operator', 'correct horse');

    await waitFor(() => expect(tokenStorage.access()).toBe('access-1'));
    expect(fetchFake.callsTo('POST', '/auth/login')[0]?.body).toEqual({ username: 'operator', password: 'correct horse' });
    expect(tokenStorage.refresh()).toBe('refresh-1');
    expect(queryClient.getQueryData(userQueryOptions().queryKey)).toEqual(operator);
  });

  it('says so when the username or password is wrong (401)', async () => {
    fetchFake.on('POST', '/auth/login', () => apiError(401, 'unauthorized', 'invalid credentials'));

    await submit('operator', 'wrong');

    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
    expect(tokenStorage.access()).toBeNull();
  });

  it('shows the wait from the server when the account is locked (429)', async () => {
    fetchFake.on('POST', '/auth/login', () =>
      apiError(429, 'locked', 'Too many failed logins; try again in 15 minutes.'),
    );

    await submit('operator', 'wrong again');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Too many failed attempts');
    expect(alert).toHaveTextContent('try again in 15 minutes');
  });

  it('asks for both fields before calling the server', async () => {
    const view = renderWithApp(<LoginForm />);

    await view.user.click(screen.getByRole('button', { name: 'Log in' }));

    expect(await screen.findByText('Username is required')).toBeInTheDocument();
    expect(screen.getByText('Password is required')).toBeInTheDocument();
    expect(fetchFake.calls).toHaveLength(0);
  });
});
