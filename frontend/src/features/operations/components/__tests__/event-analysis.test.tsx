import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventAnalysis } from '@/features/operations/components/event-analysis';
import { fetchFake, json } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { eventAnalysis } from '@/testing/operations-fixtures';
import { renderWithApp } from '@/testing/render';
import { daysAgo } from '@/features/operations/utils/dates';

const renderPage = (route = '/event-analysis') =>
  renderWithApp(<EventAnalysis />, { user: userInfo('viewer'), route });

const lastQuery = () => fetchFake.callsTo('GET', '/events/analysis').at(-1)?.query;

describe('Event analysis', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/events/analysis', () => json(eventAnalysis()));
    fetchFake.on('GET', '/events/types', () => json({ items: ['meter_cover_opened', 'power_failure'] }));
  });

  it('draws the events by type per day as stacked bars, by area, the top meters and the tamper trend', async () => {
    renderPage();

    expect(await screen.findByText('9 events')).toBeInTheDocument();
    const byType = screen.getByRole('region', { name: 'Events by type per day' });
    // Two days, two types each: four stacked segments, and a legend naming the types.
    await waitFor(() => expect(byType.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(4));
    expect(within(byType).getByText('Power failure')).toBeInTheDocument();
    expect(within(byType).getByText('Meter cover opened')).toBeInTheDocument();
    const byArea = screen.getByRole('region', { name: 'Events by area' });
    await waitFor(() => expect(byArea.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(2));
    const tamper = screen.getByRole('region', { name: 'Tamper trend' });
    await waitFor(() => expect(tamper.querySelector('.recharts-line path')).not.toBeNull());

    const top = screen.getByRole('table', { name: 'Top meters' });
    const row = within(within(top).getByRole('row', { name: /04312000000/ }));
    expect(row.getByText('6')).toBeInTheDocument();
    expect(row.getByText('4')).toBeInTheDocument();
    expect(row.getByRole('link', { name: '04312000000' })).toHaveAttribute(
      'href',
      `/events?from=${daysAgo(29)}&meter=04312000000`,
    );
  });

  it('looks at the last 30 days unless the address says otherwise, with the filters and the header area', async () => {
    localStorage.setItem('hes.area', 'a-7');
    const { user } = renderPage();
    await screen.findByText('9 events');
    expect(Object.fromEntries(lastQuery() ?? [])).toEqual({ from: daysAgo(29), area: 'a-7' });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Type' }), 'Meter cover opened');
    await user.click(screen.getByRole('checkbox', { name: 'Tamper only' }));

    expect(Object.fromEntries(lastQuery() ?? [])).toEqual({
      from: daysAgo(29),
      type: 'meter_cover_opened',
      tamper: 'true',
      area: 'a-7',
    });
  });

  it('takes the dates from the address, and an empty one for no limit', async () => {
    renderPage('/event-analysis?from=&to=2025-01-15&severity=high');
    await screen.findByText('9 events');

    expect(Object.fromEntries(lastQuery() ?? [])).toEqual({ to: '2025-01-15', severity: 'high' });
    expect(screen.getByRole('link', { name: 'Open as list' })).toHaveAttribute(
      'href',
      '/events?to=2025-01-15&severity=high',
    );
  });
});
