import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it } from 'vitest';
import { Component as LeakageRoute } from '@/app/routes/leakage';
import { fetchFake, json, page } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';
import { leakageMeter } from './fixtures';

const renderList = (route: string) =>
  renderWithApp(
    <Routes>
      <Route path="/leakage/:indicator" element={<LeakageRoute />} />
    </Routes>,
    { user: userInfo('viewer'), route },
  );

const listPage = (indicator: string, items: ReturnType<typeof leakageMeter>[], total = items.length) =>
  json({ indicator, title: 'x', from: '2026-10-01', to: '2026-10-03', items, total, page: 1, page_size: 25 });

const lastQuery = (indicator: string) =>
  Object.fromEntries(fetchFake.callsTo('GET', `/leakage/meters/${indicator}`).at(-1)?.query ?? []);

describe('The meters behind a leakage count', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/areas', () => page([
      { id: 'a-2', name: 'Harbour', description: null, meter_count: 4, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' },
    ]));
  });

  it('shows each meter with its figures, the meter a link to its reading page', async () => {
    fetchFake.on('GET', '/leakage/meters/bypass', () =>
      listPage('bypass', [leakageMeter('04312000000', { import_kwh: 9.5, hours: 19, relay_state: 'connected' })], 60),
    );
    renderList('/leakage/bypass?from=2026-10-01&to=2026-10-03');

    expect(await screen.findByRole('heading', { name: 'Consumption while disconnected' })).toBeInTheDocument();
    const row = within(await screen.findByRole('row', { name: /04312000000/ }));
    expect(row.getByRole('link', { name: '04312000000' })).toHaveAttribute('href', '/meter-reading?meter=04312000000');
    expect(row.getByText('Adaeze Obi')).toBeInTheDocument();
    expect(row.getByText('9.5')).toBeInTheDocument();
    expect(row.getByText('Connected')).toBeInTheDocument();
    expect(screen.getByText('1–25 of 60')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Leakage summary' })).toHaveAttribute(
      'href',
      '/leakage?from=2026-10-01&to=2026-10-03',
    );
    expect(lastQuery('bypass')).toEqual({ from: '2026-10-01', to: '2026-10-03', page: '1', page_size: '25' });
  });

  it('says when a silent meter has no history to estimate from', async () => {
    fetchFake.on('GET', '/leakage/meters/energy-at-risk', () =>
      listPage('energy-at-risk', [
        leakageMeter('04312000001', { days_silent: 10, avg_daily_kwh: 48, estimated_kwh: 480 }),
        leakageMeter('04312000002', { days_silent: 5 }),
      ]),
    );
    renderList('/leakage/energy-at-risk?offline_days=3');

    expect(within(await screen.findByRole('row', { name: /04312000001/ })).getByText('480')).toBeInTheDocument();
    expect(within(screen.getByRole('row', { name: /04312000002/ })).getByText('No history')).toBeInTheDocument();
    expect(lastQuery('energy-at-risk')).toEqual({ offline_days: '3', page: '1', page_size: '25' });
  });

  it('keeps to the area a per-area count named until it is dropped for the header’s', async () => {
    fetchFake.on('GET', '/leakage/meters/tamper', () =>
      listPage('tamper', [leakageMeter('04312000003', { alerts: 2, occurrences: 7, alert_types: ['magnetic_field'] })]),
    );
    localStorage.setItem('hes.area', 'a-7');
    const { user } = renderList('/leakage/tamper?area=a-2');

    expect(within(await screen.findByRole('row', { name: /04312000003/ })).getByText('Magnetic field')).toBeInTheDocument();
    expect(lastQuery('tamper')).toEqual({ area: 'a-2', page: '1', page_size: '25' });
    expect(await screen.findByText('Area: Harbour')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: "Show the header's area instead" }));
    await expect.poll(() => lastQuery('tamper').area).toBe('a-7');
    expect(screen.queryByText(/Area: /)).not.toBeInTheDocument();
  });

  it('answers an unknown indicator with the not-found page', async () => {
    renderList('/leakage/theft');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(fetchFake.callsTo('GET', '/leakage/meters/theft')).toHaveLength(0);
  });
});
