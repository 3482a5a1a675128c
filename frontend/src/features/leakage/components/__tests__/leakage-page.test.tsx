import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LeakagePage } from '@/features/leakage/components/leakage-page';
import { fetchFake, json } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';
import { leakageSummary } from './fixtures';

const renderPage = (route = '/leakage') => renderWithApp(<LeakagePage />, { user: userInfo('viewer'), route });
const lastQuery = () => Object.fromEntries(fetchFake.callsTo('GET', '/leakage/summary').at(-1)?.query ?? []);

describe('Leakage monitoring', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/leakage/summary', () => json(leakageSummary()));
  });

  it('shows each indicator overall, each count a link to its meters with the period', async () => {
    renderPage('/leakage?from=2026-10-01&to=2026-10-03');

    const zero = await screen.findByRole('region', { name: 'Zero consumption' });
    expect(await within(zero).findByRole('link', { name: 'Zero consumption: 2' })).toHaveAttribute(
      'href',
      '/leakage/zero-consumption?from=2026-10-01&to=2026-10-03',
    );
    expect(zero).toHaveTextContent('online, no import for 48 h');
    expect(screen.getByRole('region', { name: 'Reverse flow' })).toHaveTextContent('14.4 kWh exported');
    const tamper = screen.getByRole('region', { name: 'Tamper alerts' });
    expect(tamper).toHaveTextContent('5');
    expect(tamper).toHaveTextContent('previous period 2 · 3 meters');
    expect(screen.getByRole('region', { name: 'Consumption while disconnected' })).toHaveTextContent('9.5 kWh while disconnected');
    expect(screen.getByRole('region', { name: 'Energy at risk' })).toHaveTextContent('481.66 kWh unbilled, 1 without history');
    expect(screen.getByText(/2026-10-01 to 2026-10-03 \(Africa\/Lagos\); tamper alerts compared with 2026-09-28/)).toBeInTheDocument();
  });

  it('lists the counts per area, each opening that area’s meters, with the totals', async () => {
    renderPage();

    const table = await screen.findByRole('table', { name: 'Leakage per area' });
    const harbour = within(within(table).getByRole('row', { name: /Harbour/ }));
    expect(harbour.getByRole('link', { name: 'Energy at risk, Harbour: 4' })).toHaveAttribute(
      'href',
      '/leakage/energy-at-risk?area=a-2',
    );
    expect(harbour.getByRole('link', { name: 'Tamper alerts, Harbour: 4' })).toHaveAttribute('href', '/leakage/tamper?area=a-2');
    const total = within(within(table).getByRole('row', { name: /All areas/ }));
    expect(total.getByRole('link', { name: 'Reverse flow, All areas: 1' })).toHaveAttribute('href', '/leakage/reverse-flow');

    const chart = screen.getByRole('region', { name: 'Tamper alerts per day' });
    await waitFor(() => expect(chart.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(3));
  });

  it('asks for the header area, the period and the offline threshold in the address', async () => {
    localStorage.setItem('hes.area', 'a-7');
    const { user } = renderPage('/leakage?from=2026-09-01&to=2026-09-30');
    await screen.findByRole('table', { name: 'Leakage per area' });
    expect(lastQuery()).toEqual({ area: 'a-7', from: '2026-09-01', to: '2026-09-30' });

    await user.type(screen.getByRole('textbox', { name: 'Offline for more than' }), '7');
    await expect.poll(() => lastQuery().offline_days).toBe('7');
    expect(lastQuery()).toEqual({ area: 'a-7', from: '2026-09-01', to: '2026-09-30', offline_days: '7' });
    // with an area in the header, the totals row and the cards open that area's meters
    const total = within(screen.getByRole('row', { name: /Total/ }));
    expect(total.getByRole('link', { name: 'Consumption while disconnected, Total: 1' })).toHaveAttribute(
      'href',
      '/leakage/bypass?from=2026-09-01&to=2026-09-30&offline_days=7&area=a-7',
    );
  });

  it('downloads the per-area table as CSV and PDF with the same filters', async () => {
    fetchFake.on('GET', '/leakage/summary/export', () => new Response('Area'));
    Object.defineProperty(URL, 'createObjectURL', { configurable: true, value: () => 'blob:leakage' });
    Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: () => undefined });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    localStorage.setItem('hes.area', 'a-2');
    const { user } = renderPage('/leakage?offline_days=5');
    await screen.findByRole('table', { name: 'Leakage per area' });

    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    await user.click(screen.getByRole('button', { name: 'Download PDF' }));

    await expect.poll(() => click.mock.calls.length).toBe(2);
    const asked = fetchFake.callsTo('GET', '/leakage/summary/export').map((call) => Object.fromEntries(call.query));
    expect(asked).toEqual([
      { area: 'a-2', offline_days: '5', format: 'csv' },
      { area: 'a-2', offline_days: '5', format: 'pdf' },
    ]);
  });
});
