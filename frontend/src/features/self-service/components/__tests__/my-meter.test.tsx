import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { MyMeter } from '@/features/self-service/components/my-meter';
import { defaultRange } from '@/features/self-service/components/my-consumption';
import { isoDay } from '@/features/operations/utils/dates';
import { apiError, fetchFake, json, page } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';
import { MINE, myConsumption, myEvent, myMeter, tokenLoad } from '@/features/self-service/components/__tests__/my-fakes';

const base = `/my/meters/${MINE}`;
const cells = (row: HTMLElement) => within(row).getAllByRole('cell').map((cell) => cell.textContent);
const lastQuery = (path: string) => Object.fromEntries(fetchFake.callsTo('GET', path).at(-1)?.query ?? []);
// The first chart a test draws is slow on a busy machine: wait for it longer than for the rest.
const findPeriods = () => screen.findByRole('table', { name: 'Energy per period' }, { timeout: 5000 });

function answer({ tokens = [tokenLoad('t-1')], events = [myEvent('power_down', '2025-01-15T06:00:00Z')] } = {}) {
  fetchFake.on('GET', base, () => json(myMeter(MINE)));
  fetchFake.on('GET', `${base}/consumption`, (request) =>
    json(
      request.query.get('granularity') === 'hourly'
        ? myConsumption('hourly', [
            ['2025-01-15T00', 0.4],
            ['2025-01-15T01', null],
            ['2025-01-15T02', 0.35],
          ])
        : myConsumption('daily', [
            ['2025-01-13', 12.5],
            ['2025-01-14', null],
            ['2025-01-15', 7.25],
          ]),
    ),
  );
  fetchFake.on('GET', `${base}/tokens`, () => page(tokens));
  fetchFake.on('GET', `${base}/events`, () => page(events));
}

const renderPage = () => renderWithApp(<MyMeter meterNumber={MINE} />, { user: userInfo('customer'), route: `/my-meters/${MINE}` });

describe('My meter', () => {
  it('shows the last 30 days by day, a day without readings as a gap, never as 0', async () => {
    answer();
    renderPage();

    const table = await findPeriods();
    expect(lastQuery(`${base}/consumption`)).toEqual({ granularity: 'daily', ...defaultRange('daily') });
    expect(within(table).getAllByRole('row').slice(1).map(cells)).toEqual([
      ['2025-01-13', '12.5'],
      ['2025-01-14', '—'],
      ['2025-01-15', '7.25'],
    ]);
    expect(screen.getByLabelText('Total')).toHaveTextContent('19.75 kWh used · 1 of 3 without readings');
    const chart = screen.getByRole('region', { name: 'Consumption' });
    await waitFor(() => expect(chart.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(2));
    expect(within(screen.getByRole('region', { name: 'Status' })).getByText('Relay connected')).toBeInTheDocument();
  });

  it('switches to today by the hour, and every granularity to its own default period', async () => {
    answer();
    const { user } = renderPage();
    await findPeriods();

    await user.click(screen.getByRole('radio', { name: 'Hourly' }));
    await screen.findByRole('cell', { name: '2025-01-15 01' });
    const today = isoDay(new Date());
    expect(lastQuery(`${base}/consumption`)).toEqual({ granularity: 'hourly', from: today, to: today });

    await user.click(screen.getByRole('radio', { name: 'Monthly' }));
    await waitFor(() => expect(lastQuery(`${base}/consumption`).granularity).toBe('monthly'));
    const monthly = lastQuery(`${base}/consumption`);
    expect(monthly.to).toBe(today);
    expect(monthly.from).toMatch(/-01$/); // twelve whole months, from the first of the month
  });

  it('downloads the period on screen as CSV and as PDF', async () => {
    answer();
    fetchFake.on('GET', `${base}/consumption/export`, () => new Response('Meter Number,Period'));
    Object.defineProperty(URL, 'createObjectURL', { configurable: true, value: () => 'blob:consumption' });
    Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: () => undefined });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { user } = renderPage();
    await findPeriods();

    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(fetchFake.callsTo('GET', `${base}/consumption/export`)).toHaveLength(1));
    expect(lastQuery(`${base}/consumption/export`)).toEqual({ granularity: 'daily', ...defaultRange('daily'), format: 'csv' });
    await user.click(screen.getByRole('button', { name: 'Download PDF' }));
    await waitFor(() => expect(lastQuery(`${base}/consumption/export`).format).toBe('pdf'));
    await waitFor(() => expect(click).toHaveBeenCalledTimes(2));
  });

  it('lists token loads with the token masked, and the recent events', async () => {
    answer({
      tokens: [tokenLoad('t-2', { status: 'rejected', credit_wh: null, detail: 'rejected: already used or no credit' }), tokenLoad('t-1')],
      events: [myEvent('relay_disconnected', '2025-01-15T07:00:00Z'), myEvent('power_up', '2025-01-15T06:05:00Z')],
    });
    renderPage();

    const tokens = await screen.findByRole('list', { name: 'Token history' });
    await waitFor(() => expect(within(tokens).getAllByRole('listitem')).toHaveLength(2));
    const [rejected, accepted] = within(tokens).getAllByRole('listitem');
    expect(rejected).toHaveTextContent('•••• 7890');
    expect(rejected).toHaveTextContent('Rejected');
    expect(rejected).toHaveTextContent('rejected: already used or no credit');
    expect(accepted).toHaveTextContent('Accepted');
    expect(accepted).toHaveTextContent('credit 61 kWh');
    const events = await screen.findByRole('list', { name: 'Recent events' });
    await waitFor(() => expect(within(events).getAllByRole('listitem')).toHaveLength(2));
    expect(within(events).getAllByRole('listitem').map((item) => item.firstChild?.textContent)).toEqual([
      'Relay disconnected',
      'Power up',
    ]);
  });

  it('says so for a meter that is not the customer’s', async () => {
    fetchFake.on('GET', base, () => apiError(404, 'not_found', `meter '${MINE}' does not exist`));
    renderPage();

    expect(await screen.findByText(`meter '${MINE}' does not exist`)).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Consumption' })).not.toBeInTheDocument();
  });
});
