import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { OnlineRate } from '@/features/operations/components/online-rate';
import { fetchFake, json } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { onlineRatePage, onlineRow } from '@/testing/operations-fixtures';
import { renderWithApp } from '@/testing/render';

const rows = [
  onlineRow('04312000000', { customer_name: 'Chukwuemeka Okafor' }),
  onlineRow('04312007919', { online: false, area_name: 'Harbour' }),
  onlineRow('04312015838', { online: false, never_online: true, first_seen: null, last_seen: null, days_with_data: 0, hours_online: 0 }),
];

const renderPage = () => renderWithApp(<OnlineRate />, { user: userInfo('viewer'), route: '/online-rate' });
const lastQuery = () => Object.fromEntries(fetchFake.callsTo('GET', '/online-rate').at(-1)?.query ?? []);

describe('Online rate', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/online-rate', () => json(onlineRatePage(rows, { total: 60 })));
  });

  it('shows the summary, each meter with a green or red dot, and the 30-day trend with gaps', async () => {
    renderPage();

    const table = await screen.findByRole('table', { name: 'Meters' });
    expect(await within(table).findByRole('row', { name: /04312000000/ })).toHaveTextContent('Online');
    expect(within(table).getByRole('row', { name: /04312007919/ })).toHaveTextContent('Offline');
    expect(within(table).getByRole('row', { name: /04312015838/ })).toHaveTextContent('Never online');
    expect(within(table).getByRole('columnheader', { name: 'Hours online (30 d)' })).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: /04312000000/ })).toHaveTextContent('712.5');
    expect(screen.getByRole('region', { name: 'Total meters' })).toHaveTextContent('60');
    expect(screen.getByRole('region', { name: 'Never online' })).toHaveTextContent('8');
    expect(screen.getByRole('region', { name: 'Online rate' })).toHaveTextContent('70 %');
    expect(screen.getByText('1–25 of 60')).toBeInTheDocument();

    // A day without data breaks the line: two separate segments, not a line through it.
    const trend = screen.getByRole('region', { name: 'Online rate, last 30 days' });
    await waitFor(() => expect(trend.querySelector('.recharts-line-curve')).not.toBeNull());
    expect(trend.querySelector('.recharts-line-curve')?.getAttribute('d')?.match(/M/g)).toHaveLength(2);
  });

  it('asks for never-online or online meters, the search and the header area', async () => {
    localStorage.setItem('hes.area', 'a-7');
    const { user } = renderPage();
    await screen.findByRole('row', { name: /04312000000/ });
    expect(lastQuery()).toEqual({ area: 'a-7', page: '1', page_size: '25' });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Online filter' }), 'Never online');
    expect(lastQuery()).toEqual({ area: 'a-7', filter: 'never', page: '1', page_size: '25' });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Online filter' }), 'Online');
    await user.type(screen.getByRole('textbox', { name: 'Search' }), '04312');
    await expect.poll(() => lastQuery().q).toBe('04312');
    expect(lastQuery()).toEqual({ area: 'a-7', filter: 'online', q: '04312', page: '1', page_size: '25' });
  });

  it('downloads the filtered table as CSV', async () => {
    fetchFake.on('GET', '/online-rate/export', () => new Response('Meter Number'));
    Object.defineProperty(URL, 'createObjectURL', { configurable: true, value: () => 'blob:online' });
    Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: () => undefined });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { user } = renderPage();
    await screen.findByRole('row', { name: /04312000000/ });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Online filter' }), 'Never online');
    await user.click(screen.getByRole('button', { name: 'Download CSV' }));

    await expect.poll(() => click.mock.calls.length).toBe(1);
    expect(Object.fromEntries(fetchFake.callsTo('GET', '/online-rate/export')[0]?.query ?? [])).toEqual({
      filter: 'never',
      format: 'csv',
    });
  });
});
