import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppProvider } from '@/app/provider';
import { routes } from '@/app/router';
import type { UserInfo } from '@/lib/auth';
import { fetchFake, json, page } from '@/testing/fetch-fake';
import { area, deviceProfile, meter, meterStatus, tokenResponse, userInfo } from '@/testing/fixtures';
import { createTestQueryClient, signIn } from '@/testing/render';

function renderApp(path: string, user?: UserInfo) {
  const queryClient = createTestQueryClient();
  if (user) signIn(queryClient, user);
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <AppProvider queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return { router, user: userEvent.setup() };
}

const navLinks = async () => {
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  return within(nav).getAllByRole('link').map((link) => link.textContent);
};

describe('routing', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/areas', () => page([area('a-1', 'Downtown')]));
    fetchFake.on('GET', '/meters', () => page([meter('04312000000')]));
  });

  it('sends a visitor without a session to the login page', async () => {
    const { router } = renderApp('/meters');

    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(router.state.location.search).toBe('?redirectTo=%2Fmeters');
  });

  it('keeps a user who must change the password on the change-password page until it is changed', async () => {
    const forced = userInfo('operator', { must_change_password: true });
    fetchFake.on('POST', '/auth/change-password', () => json(tokenResponse(userInfo('operator'), 2)));
    const { router, user } = renderApp('/meters', forced);

    expect(await screen.findByRole('heading', { name: 'Change password' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/change-password');
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument();

    await user.type(screen.getByLabelText(/^current password/i, { selector: 'input' }), 'first-password');
    await user.type(screen.getByLabelText(/^new password/i, { selector: 'input' }), 'a much better password');
    await user.type(screen.getByLabelText(/^confirm password/i, { selector: 'input' }), 'a much better password');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    expect(await screen.findByRole('table', { name: 'Meters' })).toBeInTheDocument();
    expect(fetchFake.callsTo('POST', '/auth/change-password')[0]?.body).toEqual({
      current_password: 'first-password',
      new_password: 'a much better password',
    });
  });

  it('shows staff the sections of the design, with the admin pages only for admins', async () => {
    renderApp('/meters', userInfo('operator'));
    expect(await navLinks()).toEqual([
      'Areas',
      'Device profiles',
      'Unregistered devices',
      'Meters',
      'SIM cards',
      'Meter reading',
      'Meter setting',
      'Customers',
      'Real-time monitoring',
      'Remote loading',
      'Remote control',
    ]);
  });

  it('shows an admin the users, the audit log and the settings too', async () => {
    renderApp('/meters', userInfo('admin'));
    expect(await navLinks()).toEqual([
      'Areas',
      'Device profiles',
      'Unregistered devices',
      'Users',
      'Audit log',
      'Settings',
      'Meters',
      'SIM cards',
      'Meter reading',
      'Meter setting',
      'Customers',
      'Real-time monitoring',
      'Remote loading',
      'Remote control',
    ]);
  });

  it('keeps an operator out of the settings', async () => {
    const { router } = renderApp('/settings', userInfo('operator'));

    expect(await screen.findByRole('table', { name: 'Meters' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/meters');
  });

  it('opens a device profile from the list', async () => {
    fetchFake.on('GET', '/device-profiles', () => page([deviceProfile('p-1')]));
    fetchFake.on('GET', '/device-profiles/p-1', () => json(deviceProfile('p-1')));
    const { router, user } = renderApp('/device-profiles', userInfo('viewer'));

    await user.click(await screen.findByRole('link', { name: 'Hexing' }));

    expect(await screen.findByRole('heading', { name: 'Hexing HXE110' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/device-profiles/p-1');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Device profiles' })).toHaveAttribute('aria-current', 'page');
  });

  it('gives a customer only "My meters", without the area filter', async () => {
    const { router } = renderApp('/areas', userInfo('customer'));

    expect(await navLinks()).toEqual(['My meters']);
    expect(await screen.findByRole('heading', { name: 'My meters' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/my-meters');
    expect(screen.queryByRole('combobox', { name: 'Area filter' })).not.toBeInTheDocument();
  });

  it('keeps a customer away from the meter operation pages', async () => {
    const { router } = renderApp('/remote-control', userInfo('customer'));

    expect(await screen.findByRole('heading', { name: 'My meters' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/my-meters');
  });

  it('opens a meter operation page with the meter chosen in the address', async () => {
    fetchFake.on('GET', '/meters/04312000000', () => json(meter('04312000000')));
    fetchFake.on('GET', '/meters/04312000000/status', () => json(meterStatus('04312000000', { relay_state: 'connected' })));
    renderApp('/remote-control?meter=04312000000', userInfo('viewer'));

    expect(await screen.findByRole('heading', { name: 'Remote control' })).toBeInTheDocument();
    expect(await screen.findByText('Relay connected')).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Remote control' })).toHaveAttribute('aria-current', 'page');
  });

  it('logs out through the server and returns to the login page', async () => {
    fetchFake.on('POST', '/auth/logout', () => new Response(null, { status: 204 }));
    const { user } = renderApp('/meters', userInfo('operator'));

    await user.click(await screen.findByRole('button', { name: 'Log out' }));

    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(fetchFake.callsTo('POST', '/auth/logout')[0]?.body).toEqual({ refresh_token: 'refresh-1' });
    expect(localStorage.getItem('hes.access_token')).toBeNull();
  });
});
