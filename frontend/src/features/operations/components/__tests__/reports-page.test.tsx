import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReportsPage } from '@/features/operations/components/reports-page';
import { lastMonth } from '@/features/operations/utils/dates';
import { apiError, fetchFake, json, page } from '@/testing/fetch-fake';
import { area, userInfo } from '@/testing/fixtures';
import { report, reportPage, reportSchedule } from '@/testing/operations-fixtures';
import { renderWithApp } from '@/testing/render';

const done = report('r-1');
const failed = report('r-2', {
  kind: 'events',
  format: 'pdf',
  title: 'Event report',
  params: { from: '2025-01-10', to: '2025-01-14', meter: '04312000000', tamper: 'true' },
  area_id: null,
  status: 'failed',
  error: 'meter 04312000000 is not visible',
  filename: null,
  size: null,
  url: null,
});

function renderPage(role: 'admin' | 'operator' | 'viewer' = 'operator') {
  return renderWithApp(<ReportsPage />, { user: userInfo(role), route: '/reports' });
}

const lastQuery = () => Object.fromEntries(fetchFake.callsTo('GET', '/reports').at(-1)?.query ?? []);

describe('Reports', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/areas', () => page([area('a-1', 'Downtown'), area('a-2', 'Harbour')]));
    fetchFake.on('GET', '/reports', () => json(reportPage([done, failed])));
    fetchFake.on('GET', '/reports/schedules', () =>
      json({ items: [reportSchedule('s-1'), reportSchedule('s-2', { area_id: 'a-1', cadence: 'monthly', format: 'pdf' })] }),
    );
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists a finished file with its download link and a failed one with its error, for the header area', async () => {
    localStorage.setItem('hes.area', 'a-1');
    renderPage();

    const table = await screen.findByRole('table', { name: 'Report files' });
    const doneRow = within(await within(table).findByRole('row', { name: /consumption-r-1\.csv/ }));
    expect(doneRow.getByText('Done')).toBeInTheDocument();
    expect(doneRow.getByText('2 kB')).toBeInTheDocument();
    expect(doneRow.getByText('operator')).toBeInTheDocument();
    expect(await doneRow.findByText('Downtown')).toBeInTheDocument();
    expect(doneRow.getByText('Daily, 2025-01-01 – 2025-01-31')).toBeInTheDocument();
    const link = doneRow.getByRole('link', { name: 'Download consumption-r-1.csv' });
    expect(link).toHaveAttribute('href', done.url);
    expect(link).toHaveAttribute('download', 'consumption-r-1.csv');
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAttribute('rel', 'noreferrer');

    const failedRow = within(within(table).getByRole('row', { name: /Event report/ }));
    expect(failedRow.getByText('Failed')).toBeInTheDocument();
    expect(failedRow.getByText('meter 04312000000 is not visible')).toBeInTheDocument();
    expect(failedRow.getByText('All areas')).toBeInTheDocument();
    expect(failedRow.getByText('2025-01-10 – 2025-01-14, Meter 04312000000, Tamper only')).toBeInTheDocument();
    expect(failedRow.queryByRole('link')).not.toBeInTheDocument();

    expect(lastQuery()).toEqual({ area: 'a-1', page: '1', page_size: '25' });
  });

  it('shows only the scheduled files, or one kind, when asked', async () => {
    const { user } = renderPage();
    await screen.findByRole('row', { name: /consumption-r-1\.csv/ });

    await user.click(screen.getByRole('radio', { name: 'Scheduled' }));
    expect(lastQuery()).toEqual({ scheduled: 'true', page: '1', page_size: '25' });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Kind' }), 'Online rate');
    expect(lastQuery()).toEqual({ scheduled: 'true', kind: 'online-rate', page: '1', page_size: '25' });
  });

  it('asks again every few seconds while a file is queued or running, until it is done', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let items = [report('r-3', { status: 'queued', url: null, size: null, filename: null }), report('r-4', { status: 'running', url: null })];
    fetchFake.on('GET', '/reports', () => json(reportPage(items)));
    renderPage('viewer');

    const table = await screen.findByRole('table', { name: 'Report files' });
    expect(await within(table).findByText('Queued')).toBeInTheDocument();
    expect(within(table).getByText('Running')).toBeInTheDocument();
    expect(within(table).queryByRole('link')).not.toBeInTheDocument();

    items = [report('r-3'), report('r-4')];
    await act(() => vi.advanceTimersByTimeAsync(3_500));

    expect(await within(table).findByRole('link', { name: 'Download consumption-r-3.csv' })).toBeInTheDocument();
    expect(within(table).queryByText('Queued')).not.toBeInTheDocument();
    const calls = fetchFake.callsTo('GET', '/reports').length;

    // Nothing left to wait for: no more polling.
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(fetchFake.callsTo('GET', '/reports')).toHaveLength(calls);
  });

  it('starts an export of the chosen kind, format and parameters, in the header area', async () => {
    localStorage.setItem('hes.area', 'a-1');
    fetchFake.on('POST', '/reports', () => json({ id: 'r-9', status: 'queued' }, 202));
    const { user } = renderPage('viewer');
    await screen.findByRole('row', { name: /consumption-r-1\.csv/ });
    const listCalls = fetchFake.callsTo('GET', '/reports').length;

    await user.click(screen.getByRole('button', { name: 'New export' }));
    const dialog = await screen.findByRole('dialog', { name: 'New export' });
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Report' }), 'Event report');
    await user.click(within(dialog).getByRole('radio', { name: 'PDF' }));
    await user.type(within(dialog).getByRole('textbox', { name: /Meter number/ }), '04312000000');
    await user.click(within(dialog).getByRole('checkbox', { name: 'Tamper events only' }));
    expect(dialog).toHaveTextContent('Area: Downtown (chosen in the header).');
    await user.click(within(dialog).getByRole('button', { name: 'Start export' }));

    expect(await screen.findByText('Export started: the file appears in the list when it is ready.')).toBeInTheDocument();
    const { from, to } = lastMonth();
    expect(fetchFake.callsTo('POST', '/reports')[0]?.body).toEqual({
      kind: 'events',
      format: 'pdf',
      params: { from, to, meter: '04312000000', area: 'a-1', tamper: 'true' },
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fetchFake.callsTo('GET', '/reports').length).toBeGreaterThan(listCalls);
  });

  it('sends a consumption export of one meter without the area, and an online-rate one with it', async () => {
    localStorage.setItem('hes.area', 'a-1');
    fetchFake.on('POST', '/reports', () => json({ id: 'r-9', status: 'queued' }, 202));
    const { user } = renderPage();
    await screen.findByRole('row', { name: /consumption-r-1\.csv/ });

    await user.click(screen.getByRole('button', { name: 'New export' }));
    let dialog = await screen.findByRole('dialog', { name: 'New export' });
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Granularity' }), 'Hourly');
    await user.type(within(dialog).getByRole('textbox', { name: /Meter number/ }), '04312000000');
    expect(dialog).toHaveTextContent('One meter: the area chosen in the header does not apply.');
    await user.click(within(dialog).getByRole('button', { name: 'Start export' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    await user.click(screen.getByRole('button', { name: 'New export' }));
    dialog = await screen.findByRole('dialog', { name: 'New export' });
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Report' }), 'Online rate');
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Meters' }), 'Never online');
    await user.click(within(dialog).getByRole('button', { name: 'Start export' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    const { from, to } = lastMonth();
    expect(fetchFake.callsTo('POST', '/reports').map((call) => call.body)).toEqual([
      { kind: 'consumption', format: 'csv', params: { granularity: 'hourly', from, to, meter: '04312000000' } },
      { kind: 'online-rate', format: 'csv', params: { filter: 'never', area: 'a-1' } },
    ]);
  });

  it("keeps the dialog open with the server's reason when it refuses", async () => {
    fetchFake.on('POST', '/reports', () => apiError(400, 'bad_request', "unknown meter '04319999999'"));
    const { user } = renderPage();
    await screen.findByRole('row', { name: /consumption-r-1\.csv/ });

    await user.click(screen.getByRole('button', { name: 'New export' }));
    const dialog = await screen.findByRole('dialog', { name: 'New export' });
    await user.type(within(dialog).getByRole('textbox', { name: /Meter number/ }), '04319999999');
    await user.click(within(dialog).getByRole('button', { name: 'Start export' }));

    expect(await within(dialog).findByText("unknown meter '04319999999'")).toBeInTheDocument();
    expect(screen.getByRole('dialog', { name: 'New export' })).toBeInTheDocument();
  });

  it('lets an admin edit the scheduled exports and saves the whole list', async () => {
    fetchFake.on('PUT', '/reports/schedules', (request) => json(request.body));
    const { user } = renderPage('admin');
    const section = await screen.findByRole('region', { name: 'Scheduled exports' });
    expect(section).toHaveTextContent('daily = yesterday by hour, monthly = last month by day');
    expect(await within(section).findByRole('combobox', { name: 'Area of schedule 2' })).toHaveValue('a-1');
    const save = within(section).getByRole('button', { name: 'Save' });
    expect(save).toBeDisabled();

    await user.click(within(section).getByRole('switch', { name: 'Schedule 1 enabled' }));
    await user.click(within(section).getByRole('button', { name: 'Remove schedule 2' }));
    await user.click(within(section).getByRole('button', { name: 'Add schedule' }));
    await user.selectOptions(within(section).getByRole('combobox', { name: 'Area of schedule 2' }), 'Harbour');
    await user.selectOptions(within(section).getByRole('combobox', { name: 'Cadence of schedule 2' }), 'Monthly');
    await user.selectOptions(within(section).getByRole('combobox', { name: 'Format of schedule 2' }), 'PDF');
    await user.click(save);

    expect(await screen.findByText('Scheduled exports saved.')).toBeInTheDocument();
    expect(fetchFake.callsTo('PUT', '/reports/schedules')[0]?.body).toEqual({
      items: [
        { area_id: null, cadence: 'daily', format: 'csv', enabled: false },
        { area_id: 'a-2', cadence: 'monthly', format: 'pdf', enabled: true },
      ],
    });
  });

  it("shows the server's reason when the schedules are refused", async () => {
    fetchFake.on('PUT', '/reports/schedules', () => apiError(400, 'bad_request', "unknown area 'a-2'"));
    const { user } = renderPage('admin');
    const section = await screen.findByRole('region', { name: 'Scheduled exports' });

    await user.click(await within(section).findByRole('button', { name: 'Add schedule' }));
    await user.click(within(section).getByRole('button', { name: 'Save' }));

    expect(await within(section).findByText("unknown area 'a-2'")).toBeInTheDocument();
    expect(fetchFake.callsTo('PUT', '/reports/schedules')[0]?.body).toEqual({
      items: [
        { area_id: null, cadence: 'daily', format: 'csv', enabled: true },
        { area_id: 'a-1', cadence: 'monthly', format: 'pdf', enabled: true },
        { area_id: null, cadence: 'daily', format: 'csv', enabled: true },
      ],
    });
  });

  it('shows the scheduled exports read-only to anyone but an admin', async () => {
    renderPage('operator');
    const section = await screen.findByRole('region', { name: 'Scheduled exports' });
    const table = await within(section).findByRole('table', { name: 'Scheduled exports' });

    expect(await within(table).findByRole('row', { name: /Downtown/ })).toHaveTextContent('MonthlyPDFYes');
    expect(within(table).getByRole('row', { name: /All areas/ })).toHaveTextContent('DailyCSVYes');
    expect(within(section).queryByRole('combobox')).not.toBeInTheDocument();
    expect(within(section).queryByRole('switch')).not.toBeInTheDocument();
    expect(within(section).queryByRole('button')).not.toBeInTheDocument();
  });
});
