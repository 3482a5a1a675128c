import { screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CasesPage } from '@/features/revenue/components/cases-page';
import { apiError, fetchFake, json, page } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';
import { assignees, caseDetail, caseItem } from './fixtures';

const CASES = [
  caseItem('C-000002', { status: 'investigating', assignee: 'admin0' }),
  caseItem('C-000001', { meter_number: '04318000202', status: 'resolved', outcome: 'meter_fault', source: 'manual' }),
];

function renderPage(role: 'operator' | 'viewer' = 'operator') {
  return renderWithApp(
    <Routes>
      <Route path="/cases" element={<CasesPage />} />
      <Route path="/cases/:id" element={<p>Case page</p>} />
    </Routes>,
    { user: userInfo(role), route: '/cases' },
  );
}

const lastQuery = () => Object.fromEntries(fetchFake.callsTo('GET', '/cases').at(-1)?.query ?? []);

// Dialogs and typing: slower than the default 5 s on a busy machine.
describe('Investigations', { timeout: 20_000 }, () => {
  beforeEach(() => {
    fetchFake.on('GET', '/cases', () => page(CASES));
    fetchFake.on('GET', '/cases/assignees', () => json(assignees));
  });

  it('lists the cases with their status, assignee and outcome, each linking to the case and its meter', async () => {
    localStorage.setItem('hes.area', 'a-1');
    renderPage('viewer');

    const table = await screen.findByRole('table', { name: 'Cases' });
    const first = within(await within(table).findByRole('row', { name: /C-000002/ }));
    expect(first.getByRole('link', { name: 'C-000002' })).toHaveAttribute('href', '/cases/C-000002');
    expect(first.getByRole('link', { name: '04318000201' })).toHaveAttribute('href', '/meter-reading?meter=04318000201');
    expect(first.getByText('investigating')).toBeInTheDocument();
    expect(first.getByText('admin0')).toBeInTheDocument();
    const second = within(within(table).getByRole('row', { name: /C-000001/ }));
    expect(second.getByText('resolved')).toBeInTheDocument();
    expect(second.getByText('Meter fault')).toBeInTheDocument();
    expect(lastQuery()).toEqual({ area: 'a-1', page: '1', page_size: '25' });
    expect(screen.queryByRole('button', { name: 'New case' })).not.toBeInTheDocument();
  });

  it('filters by status, outcome, assignee and meter', async () => {
    const { user } = renderPage('viewer');
    await screen.findByRole('row', { name: /C-000002/ });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Active (open or investigating)');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Outcome' }), 'Theft confirmed');
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Assignee' }), 'Ada Admin');
    await user.type(screen.getByRole('textbox', { name: 'Meter' }), '04318000201');

    await waitFor(() =>
      expect(lastQuery()).toEqual({
        status: 'active',
        outcome: 'theft_confirmed',
        assignee: 'admin0',
        meter: '04318000201',
        page: '1',
        page_size: '25',
      }),
    );
  });

  it('downloads the filtered list as CSV with the session’s token', async () => {
    fetchFake.on(
      'GET',
      '/cases/export',
      () => new Response('Case,Meter Number\n', { headers: { 'Content-Disposition': 'attachment; filename="cases.csv"' } }),
    );
    Object.defineProperty(URL, 'createObjectURL', { configurable: true, value: () => 'blob:cases' });
    Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: () => undefined });
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const { user } = renderPage('viewer');
    await screen.findByRole('row', { name: /C-000002/ });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Resolved');

    await user.click(screen.getByRole('button', { name: 'Download CSV' }));

    await expect.poll(() => saved).toEqual(['cases.csv']);
    const call = fetchFake.callsTo('GET', '/cases/export')[0];
    expect(Object.fromEntries(call?.query ?? [])).toEqual({ status: 'resolved' });
    expect(call?.headers.get('Authorization')).toBe('Bearer access-1');
  });

  it('opens a new case on a meter and goes to it', async () => {
    fetchFake.on('POST', '/cases', () => json(caseDetail('C-000003'), 201));
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'New case' }));

    const dialog = await screen.findByRole('dialog', { name: 'New case' });
    await user.click(within(dialog).getByRole('button', { name: 'Open case' }));
    expect(await within(dialog).findByText('Meter number is required')).toBeInTheDocument();

    await user.type(within(dialog).getByRole('textbox', { name: /Meter number/ }), '04318000201');
    await user.type(within(dialog).getByRole('textbox', { name: /Title/ }), 'Low readings since October');
    await user.selectOptions(await within(dialog).findByRole('combobox', { name: 'Assignee' }), 'operator1');
    await user.click(within(dialog).getByRole('button', { name: 'Open case' }));

    expect(await screen.findByText('Case page')).toBeInTheDocument();
    expect(fetchFake.callsTo('POST', '/cases')[0]?.body).toEqual({
      meter_number: '04318000201',
      title: 'Low readings since October',
      assignee: 'operator1',
      note: null,
    });
  });

  it('links to the meter’s open case when it has one', async () => {
    fetchFake.on('POST', '/cases', () =>
      apiError(409, 'conflict', 'meter 04318000201 already has an open case (C-000002)', [
        { field: 'meter_number', message: 'open case C-000002' },
      ]),
    );
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'New case' }));
    const dialog = await screen.findByRole('dialog', { name: 'New case' });
    await user.type(within(dialog).getByRole('textbox', { name: /Meter number/ }), '04318000201');
    await user.click(within(dialog).getByRole('button', { name: 'Open case' }));

    expect(await within(dialog).findByText(/already has an open case \(C-000002\)/)).toBeInTheDocument();
    expect(within(dialog).getByRole('link', { name: 'Go to case C-000002' })).toHaveAttribute('href', '/cases/C-000002');
  });
});
