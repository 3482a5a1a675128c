import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertsInbox } from '@/features/operations/components/alerts-inbox';
import { apiError, fetchFake, json, page } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { alert } from '@/testing/operations-fixtures';
import { renderWithApp } from '@/testing/render';

const active = [
  alert('al-1', { count: 4 }),
  alert('al-2', { meter_number: '04312007919', type: 'power_failure', severity: 'warning', area_name: 'Harbour' }),
  alert('al-3', { meter_number: '04312015838', type: 'reverse_energy', severity: 'info' }),
];

const acknowledged = [
  alert('al-9', {
    active: false,
    acknowledged_at: '2025-01-15T11:00:00Z',
    acknowledged_by: 'operator',
    note: 'Seal replaced on site',
  }),
];

function renderPage(role: 'operator' | 'viewer' = 'operator') {
  return renderWithApp(<AlertsInbox />, { user: userInfo(role), route: '/alerts' });
}

describe('Alerts inbox', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/alerts', (request) =>
      request.query.get('status') === 'acknowledged' ? page(acknowledged) : page(active),
    );
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists the active alerts with severity, meter, area, type, count and times, for the header area', async () => {
    localStorage.setItem('hes.area', 'a-7');
    renderPage();

    const table = await screen.findByRole('table', { name: 'Active alerts' });
    const row = within(await within(table).findByRole('row', { name: /04312000000/ }));
    expect(row.getByText('Critical')).toBeInTheDocument();
    expect(row.getByText('Meter cover opened')).toBeInTheDocument();
    expect(row.getByText('×4')).toBeInTheDocument();
    expect(row.getByText('Downtown')).toBeInTheDocument();
    expect(row.getByRole('link', { name: '04312000000' })).toHaveAttribute('href', '/events?meter=04312000000');
    expect(within(table).getByRole('row', { name: /04312007919/ })).toHaveTextContent('Warning');

    const query = fetchFake.callsTo('GET', '/alerts')[0]?.query;
    expect(query?.get('status')).toBe('active');
    expect(query?.get('area')).toBe('a-7');
  });

  it('acknowledges the ticked alerts at once, posting their ids and the note', async () => {
    fetchFake.on('POST', '/alerts/acknowledge', () => json({ acknowledged: 2, items: [] }));
    const { user } = renderPage();
    await screen.findByRole('row', { name: /04312000000/ });
    const acknowledgeSelected = screen.getByRole('button', { name: 'Acknowledge selected' });
    expect(acknowledgeSelected).toBeDisabled();

    await user.click(screen.getByRole('checkbox', { name: 'Select Meter cover opened on 04312000000' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select Power failure on 04312007919' }));
    expect(screen.getByText('2 alerts selected')).toBeInTheDocument();
    await user.click(acknowledgeSelected);

    const dialog = await screen.findByRole('dialog', { name: 'Acknowledge 2 alerts' });
    await user.type(within(dialog).getByRole('textbox', { name: /Note/ }), 'Crew dispatched');
    expect(fetchFake.callsTo('POST', '/alerts/acknowledge')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Acknowledge' }));

    expect(await screen.findByText('Acknowledged 2 alerts.')).toBeInTheDocument();
    expect(fetchFake.callsTo('POST', '/alerts/acknowledge')[0]?.body).toEqual({
      ids: ['al-1', 'al-2'],
      note: 'Crew dispatched',
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fetchFake.callsTo('GET', '/alerts').length).toBeGreaterThan(1);
    expect(screen.getByRole('button', { name: 'Acknowledge selected' })).toBeDisabled();
  });

  it('acknowledges one alert from its row, without a note', async () => {
    fetchFake.on('POST', '/alerts/al-3/acknowledge', () => json({ acknowledged: 1, items: [] }));
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Acknowledge Reverse energy on 04312015838' }));
    const dialog = await screen.findByRole('dialog', { name: 'Acknowledge alert' });
    expect(dialog).toHaveTextContent('Reverse energy on meter 04312015838');
    await user.click(within(dialog).getByRole('button', { name: 'Acknowledge' }));

    expect(await screen.findByText('Acknowledged 1 alert.')).toBeInTheDocument();
    expect(fetchFake.callsTo('POST', '/alerts/al-3/acknowledge')[0]?.body).toEqual({ note: null });
  });

  it('keeps the dialog open with the reason when the server refuses', async () => {
    fetchFake.on('POST', '/alerts/acknowledge', () =>
      apiError(400, 'bad_request', "alert 'al-2' is already acknowledged"),
    );
    const { user } = renderPage();
    await user.click(await screen.findByRole('checkbox', { name: 'Select all' }));
    await user.click(screen.getByRole('button', { name: 'Acknowledge selected' }));

    const dialog = await screen.findByRole('dialog', { name: 'Acknowledge 3 alerts' });
    await user.click(within(dialog).getByRole('button', { name: 'Acknowledge' }));

    expect(await within(dialog).findByText("alert 'al-2' is already acknowledged")).toBeInTheDocument();
    expect(fetchFake.callsTo('POST', '/alerts/acknowledge')[0]?.body).toEqual({
      ids: ['al-1', 'al-2', 'al-3'],
      note: null,
    });
  });

  it('shows the acknowledged alerts with who, when and the note', async () => {
    const { user } = renderPage();
    await screen.findByRole('table', { name: 'Active alerts' });

    await user.click(screen.getByRole('radio', { name: 'Acknowledged' }));

    const table = await screen.findByRole('table', { name: 'Acknowledged alerts' });
    const row = within(await within(table).findByRole('row', { name: /Seal replaced on site/ }));
    expect(row.getByText('operator')).toBeInTheDocument();
    expect(within(table).getByRole('columnheader', { name: 'Acknowledged' })).toBeInTheDocument();
    expect(within(table).queryByRole('checkbox')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Acknowledge selected' })).not.toBeInTheDocument();
    expect(fetchFake.callsTo('GET', '/alerts').at(-1)?.query.get('status')).toBe('acknowledged');
  });

  it('shows a viewer the alerts without any way to acknowledge them', async () => {
    renderPage('viewer');

    expect(await screen.findByRole('row', { name: /04312000000/ })).toBeInTheDocument();
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Acknowledge/ })).not.toBeInTheDocument();
  });

  it('says why theft detection raised an Investigation alert', async () => {
    fetchFake.on('GET', '/alerts', () =>
      page([
        alert('al-5', {
          type: 'investigation',
          severity: 'high',
          source: 'theft',
          details: { as_of: '2026-10-19', score: 0.912, risk: 'high', reasons: ['Daily use fell 86 % below last month', 'Uses 12 % of its area average'] },
        }),
        ...active.slice(1),
      ]),
    );
    renderPage('viewer');

    expect(await screen.findByText('Why (score 0.91): Daily use fell 86 % below last month; Uses 12 % of its area average')).toBeInTheDocument();
    expect(screen.getAllByText(/^Why/)).toHaveLength(1);
  });

  it('adds the given action to each active alert, also for those who may not acknowledge', async () => {
    const { user } = renderWithApp(
      <AlertsInbox rowAction={(item) => <button type="button">{`Follow up ${item.id}`}</button>} />,
      { user: userInfo('viewer'), route: '/alerts' },
    );

    const row = within(await screen.findByRole('row', { name: /04312007919/ }));
    expect(row.getByRole('button', { name: 'Follow up al-2' })).toBeInTheDocument();
    expect(row.queryByRole('button', { name: /^Acknowledge/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'Acknowledged' }));
    await screen.findByRole('table', { name: 'Acknowledged alerts' });
    expect(screen.queryByRole('button', { name: /^Follow up/ })).not.toBeInTheDocument();
  });

  it('asks again every few seconds, so a new alert shows without a reload', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let items = active.slice(0, 1);
    fetchFake.on('GET', '/alerts', () => page(items));
    renderPage('viewer');
    await screen.findByRole('row', { name: /04312000000/ });

    items = active;
    await act(() => vi.advanceTimersByTimeAsync(6_000));

    expect(screen.getByRole('row', { name: /04312015838/ })).toBeInTheDocument();
  });
});
