import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppProvider } from '@/app/provider';
import { routes } from '@/app/router';
import type { UserInfo } from '@/lib/auth';
import { fetchFake, json, page } from '@/testing/fetch-fake';
import { area, deviceProfile, meter, meterStatus, tokenResponse, userInfo } from '@/testing/fixtures';
import { alert, dashboardSummary, eventItem } from '@/testing/operations-fixtures';
import { createTestQueryClient, signIn } from '@/testing/render';
import { myMeter, myMeters } from '@/features/self-service/components/__tests__/my-fakes';
import { caseDetail } from '@/features/revenue/components/__tests__/fixtures';

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
  // The operations pages bring the charts: loaded once up front, not within a test's wait for a page.
  beforeAll(async () => {
    await Promise.all([import('@/app/routes/dashboard'), import('@/app/routes/alerts'), import('@/app/routes/events')]);
  }, 30_000);

  beforeEach(() => {
    fetchFake.on('GET', '/areas', () => page([area('a-1', 'Downtown')]));
    fetchFake.on('GET', '/meters', () => page([meter('04312000000')]));
    fetchFake.on('GET', '/dashboard/summary', () => json(dashboardSummary()));
    fetchFake.on('GET', '/my/meters', () => json(myMeters([myMeter('04312000000')])));
  });

  it('opens the dashboard as the start page for staff who may read reports', async () => {
    const { router } = renderApp('/', userInfo('viewer'));

    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/dashboard');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');
  });

  it('keeps the meters as the start page for staff without reports', async () => {
    const { router } = renderApp('/', userInfo('viewer', { permissions: ['self', 'meters:read'] }));

    expect(await screen.findByRole('table', { name: 'Meters' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/meters');
  });

  it('sends a customer from the start page to "My meters"', async () => {
    const { router } = renderApp('/', userInfo('customer'));

    expect(await screen.findByRole('heading', { name: 'My meters' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/my-meters');
  });

  it('opens the events of an alert’s meter from the alerts inbox', async () => {
    fetchFake.on('GET', '/alerts', () => page([alert('al-1', { meter_number: '04312007919' })]));
    fetchFake.on('GET', '/events', () => page([eventItem('e-1', { meter_number: '04312007919' })]));
    fetchFake.on('GET', '/events/types', () => json({ items: ['meter_cover_opened'] }));
    const { router, user } = renderApp('/alerts', userInfo('operator'));

    await user.click(await screen.findByRole('link', { name: '04312007919' }));

    expect(await screen.findByRole('heading', { name: 'Event report' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/events');
    expect(router.state.location.search).toBe('?meter=04312007919');
    await screen.findByRole('row', { name: /04312007919/ });
    expect(fetchFake.callsTo('GET', '/events').at(-1)?.query.get('meter')).toBe('04312007919');
  });

  it('opens an investigation case from an alert in the inbox and shows it under "Investigations"', async () => {
    fetchFake.on('GET', '/alerts', () => page([alert('al-7', { meter_number: '04318000201', type: 'investigation' })]));
    fetchFake.on('POST', '/cases', () => json(caseDetail('C-000012'), 201));
    fetchFake.on('GET', '/cases/C-000012', () => json(caseDetail('C-000012')));
    fetchFake.on('GET', '/cases/assignees', () => json({ items: [] }));
    const { router, user } = renderApp('/alerts', userInfo('operator'));

    await user.click(await screen.findByRole('button', { name: 'Open case for investigation on 04318000201' }));

    expect(await screen.findByRole('heading', { name: 'C-000012' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/cases/C-000012');
    expect(fetchFake.callsTo('POST', '/cases')[0]?.body).toEqual({ alert_id: 'al-7' });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Investigations' })).toHaveAttribute('aria-current', 'page');
  }, 20_000);

  it('keeps a viewer away from the interval data import', async () => {
    const { router } = renderApp('/readings-import', userInfo('viewer'));

    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/dashboard');
    expect(await navLinks()).not.toContain('Interval data import');
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

    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    expect(fetchFake.callsTo('POST', '/auth/change-password')[0]?.body).toEqual({
      current_password: 'first-password',
      new_password: 'a much better password',
    });
  });

  it('shows staff the sections of the design, with the admin pages only for admins', async () => {
    renderApp('/meters', userInfo('operator'));
    expect(await navLinks()).toEqual([
      'Dashboard',
      'Alerts',
      'Event report',
      'Event analysis',
      'Consumption',
      'Online rate',
      'Reports',
      'Theft detection',
      'Technical losses',
      'Investigations',
      'Leakage monitoring',
      'Areas',
      'Device profiles',
      'Unregistered devices',
      'Meters',
      'SIM cards',
      'Meter reading',
      'Meter setting',
      'Interval data import',
      'Customers',
      'Real-time monitoring',
      'Remote loading',
      'Remote control',
    ]);
  });

  it('shows an admin the users, the audit log and the settings too', async () => {
    renderApp('/meters', userInfo('admin'));
    expect(await navLinks()).toEqual([
      'Dashboard',
      'Alerts',
      'Event report',
      'Event analysis',
      'Consumption',
      'Online rate',
      'Reports',
      'Theft detection',
      'Technical losses',
      'Investigations',
      'Leakage monitoring',
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
      'Interval data import',
      'Customers',
      'Real-time monitoring',
      'Remote loading',
      'Remote control',
    ]);
  });

  it('keeps an operator out of the settings', async () => {
    const { router } = renderApp('/settings', userInfo('operator'));

    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/dashboard');
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

  it('opens one of a customer’s meters from "My meters", with "My meters" still current in the menu', async () => {
    fetchFake.on('GET', '/my/meters/04312000000', () => json(myMeter('04312000000')));
    fetchFake.on('GET', '/my/meters/04312000000/consumption', () => new Response(null, { status: 404 }));
    fetchFake.on('GET', '/my/meters/04312000000/tokens', () => page([]));
    fetchFake.on('GET', '/my/meters/04312000000/events', () => page([]));
    const { router, user } = renderApp('/', userInfo('customer'));

    await user.click(await screen.findByRole('link', { name: 'Consumption and history' }));

    expect(await screen.findByRole('heading', { name: 'Meter 04312000000' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/my-meters/04312000000');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'My meters' })).toHaveAttribute('aria-current', 'page');
  });

  it('keeps staff away from the customer’s pages', async () => {
    const { router } = renderApp('/my-meters/04312000000', userInfo('viewer', { permissions: ['self', 'meters:read'] }));

    expect(await screen.findByRole('table', { name: 'Meters' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/meters');
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
