import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dashboard } from '@/features/operations/components/dashboard';
import { fetchFake, json } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { dashboardSummary } from '@/testing/operations-fixtures';
import { renderWithApp } from '@/testing/render';

const renderPage = () => renderWithApp(<Dashboard />, { user: userInfo('viewer'), route: '/dashboard' });

const figure = (label: string) => within(screen.getByRole('region', { name: label }));

describe('Dashboard', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the meter counts, the online rate, the top areas and the latest events', async () => {
    fetchFake.on('GET', '/dashboard/summary', () => json(dashboardSummary()));
    renderPage();

    expect(await screen.findByText('60')).toBeInTheDocument();
    expect(figure('Total meters').getByText('60')).toBeInTheDocument();
    expect(figure('Online now').getByText('42')).toBeInTheDocument();
    expect(figure('Online now').getByText('50 seen in the last 24 h')).toBeInTheDocument();
    expect(figure('Offline now').getByText('10')).toBeInTheDocument();
    expect(figure('Never online').getByText('8')).toBeInTheDocument();
    expect(figure('Online rate').getByText('70 %')).toBeInTheDocument();
    expect(figure('Energy, last hour').getByText('16.5 kWh')).toBeInTheDocument();
    // Twelve five-minute slots, one without readings: a gap, not a bar of 0.
    const energy = screen.getByRole('region', { name: 'Energy, last hour' });
    await waitFor(() => expect(energy.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(11));

    const areas = screen.getByRole('table', { name: 'Top consuming areas' });
    expect(within(areas).getByRole('row', { name: /Downtown/ })).toHaveTextContent('812.4 kWh');
    const events = screen.getByRole('table', { name: 'Latest events' });
    expect(within(events).getByRole('link', { name: '04312007919' })).toHaveAttribute('href', '/events?meter=04312007919');
    expect(within(events).getAllByText('Meter cover opened')).toHaveLength(1);
    expect(fetchFake.callsTo('GET', '/dashboard/summary')[0]?.query.has('area')).toBe(false);
  });

  it('makes the alerts card pulse in red while alerts are active, and opens the inbox from it', async () => {
    fetchFake.on('GET', '/dashboard/summary', () => json(dashboardSummary({ alerts: { active: 3, critical: 1 } })));
    renderPage();

    const card = await screen.findByRole('link', { name: 'Active alerts: 3, 1 critical' });
    expect(card).toHaveAttribute('data-alerting', 'true');
    expect(card.className).toMatch(/alerting/);
    expect(card).toHaveAttribute('href', '/alerts');
    expect(card).toHaveTextContent('1 critical · open the inbox');
  });

  it('keeps the alerts card calm when no alert is active', async () => {
    fetchFake.on('GET', '/dashboard/summary', () => json(dashboardSummary({ alerts: { active: 0, critical: 0 } })));
    renderPage();

    const card = await screen.findByRole('link', { name: 'Active alerts: 0, 0 critical' });
    expect(card).toHaveAttribute('data-alerting', 'false');
    expect(card.className).not.toMatch(/alerting/);
    expect(card).toHaveTextContent('All clear');
  });

  it('asks for the area chosen in the header and leaves out the all-areas ranking', async () => {
    localStorage.setItem('hes.area', 'a-7');
    fetchFake.on('GET', '/dashboard/summary', () => json(dashboardSummary({ top_areas: [] })));
    renderPage();

    await screen.findByText('60');
    expect(fetchFake.callsTo('GET', '/dashboard/summary')[0]?.query.get('area')).toBe('a-7');
    expect(screen.queryByRole('region', { name: 'Top consuming areas' })).not.toBeInTheDocument();
  });

  it('shows a meter coming online within 10 seconds, without a reload', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let online = 42;
    fetchFake.on('GET', '/dashboard/summary', () => json(dashboardSummary({ meters: { online, offline: 52 - online } })));
    renderPage();
    await screen.findByText('60');
    expect(screen.getByRole('region', { name: 'Online now' })).toHaveTextContent('42');

    online = 43;
    await act(() => vi.advanceTimersByTimeAsync(10_000));

    expect(screen.getByRole('region', { name: 'Online now' })).toHaveTextContent('43');
    expect(screen.getByRole('region', { name: 'Offline now' })).toHaveTextContent('9');
  });
});
