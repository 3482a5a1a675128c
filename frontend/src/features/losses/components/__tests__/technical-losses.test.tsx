import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { components } from '@/lib/api/schema';
import { TechnicalLosses } from '@/features/losses/components/technical-losses';
import { fetchFake, json } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';

type Schemas = components['schemas'];

const supply: Schemas['AreaSupply'] = {
  check_meter: '09900000001',
  transformer_kva: 200,
  no_load_loss_kw: 0.4,
  load_loss_kw: 2.9,
  line_loss_pct: 3,
  min_completeness_pct: 98,
  ntl_alert_pct: 10,
  ntl_alert_days: 3,
};

const reliable = (day: string, ntl: number): Schemas['BalanceDay'] => ({
  day,
  input_kwh: 1000,
  billed_kwh: 1000 - 60 - ntl * 10,
  meters: 12,
  meters_with_data: 12,
  complete: true,
  reason: null,
  loss_kwh: 60 + ntl * 10,
  loss_pct: 6 + ntl,
  technical_kwh: 60,
  technical_pct: 6,
  non_technical_kwh: ntl * 10,
  non_technical_pct: ntl,
  over_threshold: ntl > 10,
});

const unreliable: Schemas['BalanceDay'] = {
  ...reliable('2026-05-03', 0),
  billed_kwh: 700,
  meters_with_data: 9,
  complete: false,
  reason: 'unreliable: 3 of 12 meters without data',
  loss_kwh: null,
  loss_pct: null,
  technical_kwh: null,
  technical_pct: null,
  non_technical_kwh: null,
  non_technical_pct: null,
  over_threshold: false,
};

const totals = (complete: number, days: number): Schemas['BalanceTotals'] => ({
  days,
  complete_days: complete,
  input_kwh: complete ? 1000 * complete : null,
  billed_kwh: complete ? 880 * complete : null,
  loss_kwh: complete ? 120 * complete : null,
  loss_pct: complete ? 12 : null,
  technical_pct: complete ? 6 : null,
  technical_kwh: complete ? 60 * complete : null,
  non_technical_kwh: complete ? 60 * complete : null,
  non_technical_pct: complete ? 6 : null,
});

const feeder: Schemas['AreaBalance'] = {
  area_id: 'a-1',
  area_name: 'Downtown',
  check_meter: supply.check_meter,
  supply,
  meters: 12,
  totals: { ...totals(3, 4), non_technical_pct: 12.5 },
  days: [reliable('2026-05-01', 12), reliable('2026-05-02', 14), unreliable, reliable('2026-05-04', 11.5)],
  episodes: [{ from: '2026-05-01', to: '2026-05-04', days: 3, peak_pct: 14 }],
};

const unmetered: Schemas['AreaBalance'] = {
  area_id: 'a-2',
  area_name: 'Harbour',
  check_meter: null,
  supply: null,
  meters: 8,
  totals: totals(0, 0),
  days: [],
  episodes: [],
};

const overview = (items: Schemas['AreaBalance'][]): Schemas['LossOverview'] => ({
  from: '2026-05-01',
  to: '2026-05-04',
  timezone: 'Africa/Lagos',
  items,
});

const renderPage = () => renderWithApp(<TechnicalLosses />, { user: userInfo('viewer'), route: '/losses' });
const lastQuery = () => Object.fromEntries(fetchFake.callsTo('GET', '/losses').at(-1)?.query ?? []);

describe('Technical losses', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/losses', () => json(overview([feeder, unmetered])));
  });

  it('lists every area with its loss split, reliable days and alert state', async () => {
    renderPage();

    const downtown = await screen.findByRole('row', { name: /Downtown/ });
    const areas = screen.getByRole('table', { name: 'Areas' });
    expect(downtown).toHaveTextContent('09900000001');
    expect(downtown).toHaveTextContent('12.5 %');
    expect(downtown).toHaveTextContent('3 of 4');
    expect(downtown).toHaveTextContent('Above threshold');
    expect(within(areas).getByRole('row', { name: /Harbour/ })).toHaveTextContent('No check meter');
  });

  it('shows the first metered area day by day, unreliable days marked with the reason and no bar', async () => {
    renderPage();

    const detail = await screen.findByRole('region', { name: 'Downtown: balance per day' });
    expect(within(detail).getByRole('region', { name: 'Reliable days' })).toHaveTextContent('3 of 4');
    const days = within(detail).getByRole('table', { name: 'Balance per day' });
    const third = within(days).getByRole('row', { name: /2026-05-03/ });
    expect(third).toHaveTextContent('No balance');
    expect(third).toHaveTextContent('unreliable: 3 of 12 meters without data');
    expect(third).toHaveTextContent('9 of 12');
    expect(within(days).getByRole('row', { name: /2026-05-02/ })).toHaveTextContent('14 %');
    expect(within(detail).getByRole('list', { name: 'Loss episodes' })).toHaveTextContent(
      '2026-05-01 to 2026-05-04: 3 days, peak 14 %',
    );
    // the unreliable day has no bar: three days of each series are drawn, not four
    await waitFor(() => expect(detail.querySelectorAll('.recharts-bar-rectangle').length).toBeGreaterThan(0));
    expect(detail.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(6);
  });

  it('explains an area without a check meter when it is chosen', async () => {
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Harbour' }));

    expect(screen.getByRole('region', { name: 'Harbour: balance per day' })).toHaveTextContent('no check meter');
  });

  it('asks for the header area and the chosen days', async () => {
    localStorage.setItem('hes.area', 'a-1');
    fetchFake.on('GET', '/losses', () => json(overview([feeder])));
    renderPage();
    await screen.findByRole('row', { name: /Downtown/ });
    expect(lastQuery()).toMatchObject({ area: 'a-1' });

    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-04-01' } });
    await expect.poll(() => lastQuery().from).toBe('2026-04-01');
    expect(lastQuery().area).toBe('a-1');
  });

  it('downloads the balance as CSV for the same filters', async () => {
    localStorage.setItem('hes.area', 'a-1');
    fetchFake.on('GET', '/losses/export', () => new Response('Area'));
    Object.defineProperty(URL, 'createObjectURL', { configurable: true, value: () => 'blob:losses' });
    Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: () => undefined });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { user } = renderPage();
    await screen.findByRole('row', { name: /Downtown/ });

    await user.click(screen.getByRole('button', { name: 'Download CSV' }));

    await expect.poll(() => click.mock.calls.length).toBe(1);
    const query = Object.fromEntries(fetchFake.callsTo('GET', '/losses/export')[0]?.query ?? []);
    expect(query).toMatchObject({ area: 'a-1', format: 'csv' });
    expect(query.from).toBe(lastQuery().from);
  });
});
