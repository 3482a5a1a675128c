import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ConsumptionReport } from '@/features/operations/components/consumption-report';
import { fetchFake, json } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { consumptionPoint, consumptionReport } from '@/testing/operations-fixtures';
import { renderWithApp } from '@/testing/render';
import { lastMonth } from '@/features/operations/utils/dates';

const renderPage = () => renderWithApp(<ConsumptionReport />, { user: userInfo('viewer'), route: '/consumption' });

const cells = (row: HTMLElement) => within(row).getAllByRole('cell').map((cell) => cell.textContent);
const lastQuery = () => Object.fromEntries(fetchFake.callsTo('GET', '/consumption').at(-1)?.query ?? []);

describe('Consumption', () => {
  it('shows all areas by day for the last month, with gaps left empty, never as 0', async () => {
    fetchFake.on('GET', '/consumption', () => json(consumptionReport()));
    renderPage();

    const periods = await screen.findByRole('table', { name: 'Consumption per period' });
    expect(lastQuery()).toEqual({ granularity: 'daily', ...lastMonth() });
    const rows = within(periods).getAllByRole('row').slice(1).map(cells);
    expect(rows).toEqual([
      ['2025-01-13', '12.5', '0', '96'],
      ['2025-01-14', '—', '—', '0'],
      ['2025-01-15', '7.25', '0', '96'],
    ]);
    // Three periods, one without readings: two bars, no bar of 0 for the gap.
    const chart = screen.getByRole('region', { name: 'Per period' });
    await waitFor(() => expect(chart.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(2));

    expect(screen.getByRole('region', { name: 'Import' })).toHaveTextContent('19.75 kWh');
    const withData = screen.getByRole('region', { name: 'Periods with data' });
    expect(withData).toHaveTextContent('2 of 3');
    expect(withData).toHaveTextContent('1 without readings (gaps)');
  });

  it('lists every meter of the area with its totals, a meter without readings as empty', async () => {
    localStorage.setItem('hes.area', 'a-7');
    fetchFake.on('GET', '/consumption', () => json(consumptionReport({ scope: 'area', area_id: 'a-7' })));
    renderPage();

    const meters = await screen.findByRole('table', { name: 'Consumption per meter' });
    expect(lastQuery().area).toBe('a-7');
    const [first, second] = within(meters).getAllByRole('row').slice(1);
    expect(first && cells(first)).toEqual(['04312000000', 'Chukwuemeka Okafor', 'Downtown', '19.75', '0', '2']);
    expect(second && cells(second)).toEqual(['04312007919', '—', 'Harbour', '—', '—', '0']);
  });

  it('shows one meter by the chosen granularity and dates, warns of register resets, and downloads it', async () => {
    fetchFake.on('GET', '/consumption', (request) =>
      json(
        consumptionReport({
          scope: 'meter',
          meter_number: request.query.get('meter'),
          granularity: 'monthly',
          series: [consumptionPoint('2024-12', 310.4), consumptionPoint('2025-01', null)],
          totals: { import_kwh: 310.4, export_kwh: null, periods_with_data: 1, periods: 2 },
          flags: [
            {
              meter_number: '04312000000',
              at: '2024-12-20T08:15:00Z',
              type: 'register_reset',
              details: { before_kwh: 10422.5, after_kwh: 0.3 },
            },
          ],
          rows: [],
        }),
      ),
    );
    fetchFake.on('GET', '/consumption/export', () => new Response('period,import'));
    Object.defineProperty(URL, 'createObjectURL', { configurable: true, value: () => 'blob:consumption' });
    Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: () => undefined });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { user } = renderPage();
    await screen.findByRole('table', { name: 'Consumption per period' });

    await user.click(screen.getByRole('radio', { name: 'One meter' }));
    expect(screen.getByText('Type a meter number to see its consumption.')).toBeInTheDocument();
    await user.type(screen.getByRole('textbox', { name: 'Meter number' }), '04312000000');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Granularity' }), 'Monthly');
    await user.clear(screen.getByLabelText('From'));
    await user.type(screen.getByLabelText('From'), '2024-12-01');
    await user.clear(screen.getByLabelText('To'));
    await user.type(screen.getByLabelText('To'), '2025-01-31');

    await expect.poll(lastQuery).toEqual({ meter: '04312000000', granularity: 'monthly', from: '2024-12-01', to: '2025-01-31' });
    const warning = await screen.findByRole('list', { name: 'Register resets' });
    expect(warning).toHaveTextContent('Meter 04312000000');
    expect(warning).toHaveTextContent('Register reset (before_kwh=10422.5; after_kwh=0.3)');
    expect(screen.getByRole('region', { name: 'Export' })).toHaveTextContent(/^Export—$/);
    expect(screen.queryByRole('table', { name: 'Consumption per meter' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Download PDF' }));
    await expect
      .poll(() => Object.fromEntries(fetchFake.callsTo('GET', '/consumption/export')[0]?.query ?? []))
      .toEqual({ meter: '04312000000', granularity: 'monthly', from: '2024-12-01', to: '2025-01-31', format: 'pdf' });
  });
});
