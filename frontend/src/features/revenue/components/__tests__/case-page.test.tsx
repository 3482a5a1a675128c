import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { components } from '@/lib/api/schema';
import { CasePage } from '@/features/revenue/components/case-page';
import { apiError, fetchFake, json } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';
import { assignees, caseDetail } from './fixtures';

type CaseDetail = components['schemas']['CaseDetail'];
type CaseUpdate = Partial<components['schemas']['CaseUpdate']>;

/** A stand-in for the case endpoint that applies the changes it is sent, as the server would. */
function serveCase(initial: CaseDetail) {
  let current = initial;
  const entry = (kind: string, text: string) => ({ at: '2026-10-21T08:00:00Z', by: 'operator', kind, text });
  fetchFake.on('GET', `/cases/${initial.id}`, () => json(current));
  fetchFake.on('PATCH', `/cases/${initial.id}`, (request) => {
    const body = request.body as CaseUpdate;
    const timeline = [...current.timeline];
    if (body.status) timeline.push(entry('status', current.status === 'resolved' ? 'Reopened' : `Status: ${body.status}`));
    if (body.outcome) timeline.push(entry('outcome', `Outcome: ${body.outcome}`));
    if (body.assignee !== undefined) timeline.push(entry('assignment', body.assignee ? `Assigned to ${body.assignee}` : 'Unassigned'));
    if (body.note) timeline.push(entry('note', body.note));
    current = {
      ...current,
      status: body.status ?? current.status,
      outcome: body.status === 'resolved' ? (body.outcome ?? null) : body.status ? null : current.outcome,
      assignee: body.assignee === undefined ? current.assignee : body.assignee || null,
      timeline,
    };
    return json(current);
  });
  fetchFake.on('POST', `/cases/${initial.id}/notes`, (request) => {
    current = { ...current, timeline: [...current.timeline, entry('note', (request.body as { text: string }).text)] };
    return json(current, 201);
  });
}

function renderPage(role: 'operator' | 'viewer' = 'operator', id = 'C-000004') {
  return renderWithApp(<CasePage id={id} />, { user: userInfo(role), route: `/cases/${id}` });
}

const patches = () => fetchFake.callsTo('PATCH', '/cases/C-000004').map((call) => call.body);

// Charts, dialogs and typing: slower than the default 5 s on a busy machine.
describe('Case', { timeout: 20_000 }, () => {
  beforeEach(() => {
    fetchFake.on('GET', '/cases/assignees', () => json(assignees));
  });

  it('shows the case, its timeline and the evidence captured at opening', async () => {
    serveCase(caseDetail('C-000004'));
    renderPage('viewer');

    expect(await screen.findByRole('heading', { name: 'C-000004' })).toBeInTheDocument();
    expect(screen.getByText('04318000201: Daily use fell 86 % below last month')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '04318000201' })).toHaveAttribute('href', '/meter-reading?meter=04318000201');
    expect(screen.getByText('open')).toBeInTheDocument();
    expect(screen.getByText('Ama Mensah')).toBeInTheDocument();

    const timeline = screen.getByRole('table', { name: 'Case timeline' });
    const rows = within(timeline).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringContaining('Opened from alert investigation'),
      expect.stringContaining('Neighbour reported a bypass'),
    ]);

    expect(screen.getByRole('progressbar', { name: 'Score 0.91' })).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Rule hits' })).toHaveTextContent('Daily use fell 86 % below last month');
    expect(screen.getByRole('list', { name: 'Alert reasons' })).toHaveTextContent('Uses 12 % of its area average');
    expect(screen.getByRole('region', { name: 'Daily import' })).toHaveTextContent('9 of 10 days with data');
    expect(screen.getByRole('table', { name: 'Events at opening' })).toHaveTextContent('Magnetic field');

    expect(screen.queryByRole('button', { name: 'Start investigating' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Resolve' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add note' })).not.toBeInTheDocument();
  });

  it('moves the case to investigating, resolves it with the outcome and acknowledges its alerts, then reopens it', async () => {
    serveCase(caseDetail('C-000004'));
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Start investigating' }));
    expect(await screen.findByText('investigating')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Start investigating' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Resolve' }));
    const dialog = await screen.findByRole('dialog', { name: 'Resolve case' });
    expect(within(dialog).getByRole('checkbox', { name: /Acknowledge the linked alerts/ })).toBeChecked();
    await user.click(within(dialog).getByRole('button', { name: 'Resolve' }));
    expect(await within(dialog).findByText('Choose the outcome of the visit')).toBeInTheDocument();

    await user.selectOptions(within(dialog).getByRole('combobox', { name: /Outcome/ }), 'Theft confirmed');
    await user.type(within(dialog).getByRole('textbox', { name: 'Note' }), 'Bypass cable removed');
    await user.click(within(dialog).getByRole('button', { name: 'Resolve' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByText('resolved')).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Case timeline' })).getByText('Bypass cable removed')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Reopen' }));
    expect(await screen.findByText('investigating')).toBeInTheDocument();
    expect(patches()).toEqual([
      { status: 'investigating' },
      { status: 'resolved', outcome: 'theft_confirmed', note: 'Bypass cable removed', acknowledge_alerts: true },
      { status: 'investigating' },
    ]);
  });

  it('assigns the case and adds a note', async () => {
    serveCase(caseDetail('C-000004'));
    const { user } = renderPage();

    const assignee = await screen.findByRole('combobox', { name: 'Assignee' });
    await waitFor(() => expect(within(assignee).getByRole('option', { name: 'Ada Admin' })).toBeInTheDocument());
    await user.selectOptions(assignee, 'Ada Admin');
    expect(await within(screen.getByRole('table', { name: 'Case timeline' })).findByText('Assigned to admin0')).toBeInTheDocument();

    const addNote = screen.getByRole('button', { name: 'Add note' });
    expect(addNote).toBeDisabled();
    await user.type(screen.getByRole('textbox', { name: 'New note' }), 'Technician booked for Monday');
    await user.click(addNote);

    expect(await within(screen.getByRole('table', { name: 'Case timeline' })).findByText('Technician booked for Monday')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'New note' })).toHaveValue('');
    expect(patches()).toEqual([{ assignee: 'admin0' }]);
    expect(fetchFake.callsTo('POST', '/cases/C-000004/notes')[0]?.body).toEqual({ text: 'Technician booked for Monday' });
  });

  it('shows why a change was refused', async () => {
    serveCase(caseDetail('C-000004', { alert_ids: [] }));
    fetchFake.on('PATCH', '/cases/C-000004', () =>
      apiError(400, 'bad_request', 'resolving a case needs the field visit’s outcome', [{ field: 'outcome', message: 'required' }]),
    );
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Resolve' }));
    const dialog = await screen.findByRole('dialog', { name: 'Resolve case' });
    const acknowledge = within(dialog).getByRole('checkbox', { name: /Acknowledge the linked alerts/ });
    expect(acknowledge).toBeDisabled();
    expect(within(dialog).getByText('No alert is linked to this case')).toBeInTheDocument();
    await user.selectOptions(within(dialog).getByRole('combobox', { name: /Outcome/ }), 'No theft');
    await user.click(within(dialog).getByRole('button', { name: 'Resolve' }));

    expect(await within(dialog).findByText('resolving a case needs the field visit’s outcome')).toBeInTheDocument();
    expect(patches()).toEqual([{ status: 'resolved', outcome: 'no_theft', note: null, acknowledge_alerts: false }]);
  });

  it('downloads the case report as PDF', async () => {
    serveCase(caseDetail('C-000004'));
    fetchFake.on(
      'GET',
      '/cases/C-000004/report',
      () => new Response('%PDF-1.4', { headers: { 'Content-Disposition': 'attachment; filename="case-C-000004.pdf"' } }),
    );
    Object.defineProperty(URL, 'createObjectURL', { configurable: true, value: () => 'blob:case' });
    Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: () => undefined });
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const { user } = renderPage('viewer');

    await user.click(await screen.findByRole('button', { name: 'Download PDF' }));

    await expect.poll(() => saved).toEqual(['case-C-000004.pdf']);
  });

  it('says so when the case does not exist', async () => {
    fetchFake.on('GET', '/cases/C-999999', () => apiError(404, 'not_found', "case 'C-999999' does not exist"));
    renderPage('viewer', 'C-999999');

    expect(await screen.findByText('Case C-999999 does not exist')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Investigations' })).toHaveAttribute('href', '/cases');
  });
});
