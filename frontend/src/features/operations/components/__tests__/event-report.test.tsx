import { screen, within } from '@testing-library/react';
import { useLocation } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EventReport } from '@/features/operations/components/event-report';
import { fetchFake, json, page } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { eventItem } from '@/testing/operations-fixtures';
import { renderWithApp } from '@/testing/render';

const events = [
  eventItem('e-1', { details: { count: 2, source: 'fraud log' } }),
  eventItem('e-2', { meter_number: '04312007919', type: 'power_failure', severity: 'warning', tamper: false }),
];

/** The address the page wrote its filters to. */
function Address() {
  const location = useLocation();
  return <output aria-label="Address">{`${location.pathname}${location.search}`}</output>;
}

function renderPage(route = '/events') {
  return renderWithApp(
    <>
      <EventReport />
      <Address />
    </>,
    { user: userInfo('viewer'), route },
  );
}

const lastQuery = () => fetchFake.callsTo('GET', '/events').at(-1)?.query;

describe('Event report', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/events', () => page(events, 120));
    fetchFake.on('GET', '/events/types', () => json({ items: ['meter_cover_opened', 'power_failure'] }));
  });

  it('lists the events with time, meter, area, type, severity and details', async () => {
    renderPage();

    const table = await screen.findByRole('table', { name: 'Events' });
    const row = within(await within(table).findByRole('row', { name: /04312000000/ }));
    expect(row.getByText('Meter cover opened')).toBeInTheDocument();
    expect(row.getByText('Tamper')).toBeInTheDocument();
    expect(row.getByText('High')).toBeInTheDocument();
    expect(row.getByText('Downtown')).toBeInTheDocument();
    expect(row.getByText('count=2; source=fraud log')).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: /04312007919/ })).toHaveTextContent('Power failure');
    expect(screen.getByText('1–25 of 120')).toBeInTheDocument();
  });

  it('starts from the filters in the address, as a link from the alerts inbox gives them', async () => {
    renderPage('/events?meter=04312000000&severity=critical&tamper=true');

    await screen.findByRole('row', { name: /04312000000/ });
    const query = lastQuery();
    expect(query?.get('meter')).toBe('04312000000');
    expect(query?.get('severity')).toBe('critical');
    expect(query?.get('tamper')).toBe('true');
    expect(screen.getByRole('textbox', { name: 'Meter number' })).toHaveValue('04312000000');
    expect(screen.getByRole('combobox', { name: 'Severity' })).toHaveValue('critical');
    expect(screen.getByRole('checkbox', { name: 'Tamper only' })).toBeChecked();
  });

  it('puts every filter into the request and writes it back to the address', async () => {
    localStorage.setItem('hes.area', 'a-7');
    const { user } = renderPage();
    await screen.findByRole('row', { name: /04312000000/ });

    await user.type(screen.getByLabelText('From'), '2025-01-01');
    await user.type(screen.getByLabelText('To'), '2025-01-15');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Type' }), 'Power failure');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Severity' }), 'Warning');
    await user.click(screen.getByRole('checkbox', { name: 'Tamper only' }));
    await user.type(screen.getByRole('textbox', { name: 'Meter number' }), '04312007919');

    await expect.poll(() => lastQuery()?.get('meter')).toBe('04312007919');
    const query = lastQuery();
    expect(Object.fromEntries(query ?? [])).toEqual({
      from: '2025-01-01',
      to: '2025-01-15',
      meter: '04312007919',
      type: 'power_failure',
      severity: 'warning',
      tamper: 'true',
      area: 'a-7',
      page: '1',
      page_size: '25',
    });
    const address = new URL(screen.getByRole('status', { name: 'Address' }).textContent ?? '', 'http://localhost');
    expect(address.pathname).toBe('/events');
    expect(Object.fromEntries(address.searchParams)).toEqual({
      from: '2025-01-01',
      to: '2025-01-15',
      meter: '04312007919',
      type: 'power_failure',
      severity: 'warning',
      tamper: 'true',
    });
  });

  it('downloads the filtered list as CSV and as PDF', async () => {
    fetchFake.on(
      'GET',
      '/events/export',
      (request) =>
        new Response(`events as ${request.query.get('format')}`, {
          headers: { 'Content-Disposition': `attachment; filename="events-20250115.${request.query.get('format')}"` },
        }),
    );
    Object.defineProperty(URL, 'createObjectURL', { configurable: true, value: () => 'blob:events' });
    Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: () => undefined });
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const { user } = renderPage('/events?meter=04312000000&type=meter_cover_opened');
    await screen.findByRole('row', { name: /04312000000/ });

    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    await user.click(screen.getByRole('button', { name: 'Download PDF' }));

    await expect.poll(() => saved).toEqual(['events-20250115.csv', 'events-20250115.pdf']);
    const queries = fetchFake.callsTo('GET', '/events/export').map((call) => Object.fromEntries(call.query));
    expect(queries).toEqual([
      { meter: '04312000000', type: 'meter_cover_opened', format: 'csv' },
      { meter: '04312000000', type: 'meter_cover_opened', format: 'pdf' },
    ]);
  });
});
