import { act, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TheftPage } from '@/features/revenue/components/theft-page';
import { apiError, fetchFake, json, page } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';
import { caseDetail, scorePage, theftDetail, theftRun, theftScore } from './fixtures';

const SCORES = [
  theftScore('04318000201'),
  theftScore('04318000202', {
    score: 0.55,
    risk: 'medium',
    reasons: ['Uses 25 % of its area average'],
    rule_hits: [],
    customer_name: null,
    open_case: 'C-000007',
    confirmed_thefts: 1,
  }),
];

function renderPage(role: 'operator' | 'viewer' | 'admin' = 'operator') {
  return renderWithApp(
    <Routes>
      <Route path="/theft" element={<TheftPage />} />
      <Route path="/cases/:id" element={<p>Case page</p>} />
    </Routes>,
    { user: userInfo(role), route: '/theft' },
  );
}

const lastScoresQuery = () => Object.fromEntries(fetchFake.callsTo('GET', '/theft/scores').at(-1)?.query ?? []);

// Charts, dialogs and typing: slower than the default 5 s on a busy machine.
describe('Theft detection', { timeout: 20_000 }, () => {
  beforeEach(() => {
    fetchFake.on('GET', '/theft/scores', () => json(scorePage(SCORES)));
    fetchFake.on('GET', '/theft/runs', () => page([theftRun('run-1')]));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('ranks the meters with score, risk, reasons in words, rule hits and their cases, for the header area', async () => {
    localStorage.setItem('hes.area', 'a-1');
    renderPage();

    const table = await screen.findByRole('table', { name: 'Theft scores' });
    const first = within(await within(table).findByRole('row', { name: /04318000201/ }));
    expect(first.getByRole('link', { name: '04318000201' })).toHaveAttribute('href', '/meter-reading?meter=04318000201');
    expect(first.getByText('Ama Mensah')).toBeInTheDocument();
    expect(first.getByText('high')).toBeInTheDocument();
    expect(first.getByRole('progressbar', { name: 'Score 0.91' })).toBeInTheDocument();
    expect(first.getByText(/Daily use fell 86 % below last month; Uses 12 % of its area average \(\+1 more\)/)).toBeInTheDocument();
    expect(first.getByText('Consumption drop')).toBeInTheDocument();

    const second = within(within(table).getByRole('row', { name: /04318000202/ }));
    expect(second.getByText('medium')).toBeInTheDocument();
    expect(second.getByRole('link', { name: 'Open case C-000007' })).toHaveAttribute('href', '/cases/C-000007');
    expect(second.getByText('Theft confirmed before')).toBeInTheDocument();

    expect(screen.getByText('Scores as of 2026-10-19')).toBeInTheDocument();
    expect(screen.getByLabelText('Last detection run')).toHaveTextContent('120 meters scored: 3 high, 7 medium, 2 alerts raised');
    expect(lastScoresQuery()).toEqual({ area: 'a-1', page: '1', page_size: '25' });
    expect(fetchFake.callsTo('GET', '/theft/runs')[0]?.query.get('page_size')).toBe('1');
  });

  it('says that no run has been made before the first one', async () => {
    fetchFake.on('GET', '/theft/scores', () => json(scorePage([], null)));
    fetchFake.on('GET', '/theft/runs', () => page([]));
    renderPage('viewer');

    expect(await screen.findByText('No detection run yet: run detection to score the meters.')).toBeInTheDocument();
    expect(screen.queryByText(/Scores as of/)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Run detection now' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Detection settings' })).not.toBeInTheDocument();
  });

  it('filters by risk and by part of the meter number', async () => {
    const { user } = renderPage('viewer');
    await screen.findByRole('row', { name: /04318000201/ });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Risk filter' }), 'High');
    await waitFor(() => expect(lastScoresQuery()).toEqual({ risk: 'high', page: '1', page_size: '25' }));
    await user.type(screen.getByRole('textbox', { name: 'Search' }), '0201');
    await waitFor(() => expect(lastScoresQuery()).toEqual({ risk: 'high', q: '0201', page: '1', page_size: '25' }));
  });

  it('runs detection for the header area, shows its progress until done, then lists the new scores', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    localStorage.setItem('hes.area', 'a-2');
    let run = theftRun('run-9', { status: 'queued', area_id: 'a-2', trigger: 'on_demand', requested_by: 'operator', finished_at: null });
    fetchFake.on('POST', '/theft/run', () => json({ id: 'run-9', status: 'queued' }, 202));
    fetchFake.on('GET', '/theft/runs/run-9', () => json(run));
    const { user } = renderPage();
    await screen.findByRole('row', { name: /04318000201/ });
    const listCalls = fetchFake.callsTo('GET', '/theft/scores').length;

    await user.click(screen.getByRole('button', { name: 'Run detection now' }));

    expect(await screen.findByRole('progressbar', { name: 'Detection progress' })).toBeInTheDocument();
    expect(screen.getByText(/Detection queued for 2026-10-19, one area/)).toBeInTheDocument();
    expect(fetchFake.callsTo('POST', '/theft/run')[0]?.body).toEqual({ area: 'a-2' });
    expect(screen.getByRole('button', { name: 'Run detection now' })).toBeDisabled();

    run = { ...run, status: 'running' };
    await act(() => vi.advanceTimersByTimeAsync(1_600));
    expect(await screen.findByText(/Scoring meters for 2026-10-19/)).toBeInTheDocument();
    expect(fetchFake.callsTo('GET', '/theft/scores')).toHaveLength(listCalls);

    run = { ...run, status: 'done', finished_at: '2026-10-20T08:05:00Z', meters_scored: 40, high: 1, medium: 2, alerts_raised: 1 };
    await act(() => vi.advanceTimersByTimeAsync(1_600));

    expect(await screen.findByText('Detection done: 40 meters scored: 1 high, 2 medium, 1 alert raised.')).toBeInTheDocument();
    await waitFor(() => expect(fetchFake.callsTo('GET', '/theft/scores').length).toBeGreaterThan(listCalls));
    expect(screen.queryByRole('progressbar', { name: 'Detection progress' })).not.toBeInTheDocument();
    expect(screen.getByLabelText('Last detection run')).toHaveTextContent('by operator');
    const polls = fetchFake.callsTo('GET', '/theft/runs/run-9').length;
    await act(() => vi.advanceTimersByTimeAsync(5_000));
    expect(fetchFake.callsTo('GET', '/theft/runs/run-9')).toHaveLength(polls);
  });

  it('says why a run failed', async () => {
    fetchFake.on('GET', '/theft/runs', () => page([theftRun('run-2', { status: 'failed', error: 'no readings in the last 60 days' })]));
    renderPage('viewer');

    expect(await screen.findByText('no readings in the last 60 days')).toBeInTheDocument();
    expect(screen.getByText('The detection run for 2026-10-19 failed')).toBeInTheDocument();
  });

  it('opens a meter’s evidence from its row and a case from there', async () => {
    fetchFake.on('GET', '/theft/scores/04318000201', () => json(theftDetail('04318000201')));
    fetchFake.on('POST', '/cases', () => json(caseDetail('C-000012'), 201));
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Evidence for 04318000201' }));

    const drawer = await screen.findByRole('dialog', { name: 'Evidence for meter 04318000201' });
    expect(await within(drawer).findByRole('region', { name: 'Daily import against the area' })).toHaveTextContent(
      '9 of 10 days with data',
    );
    expect(within(drawer).getByRole('list', { name: 'Reasons' })).toHaveTextContent('Meter cover opened twice');
    expect(within(drawer).getByRole('list', { name: 'Rule hits' })).toHaveTextContent('(since 2026-10-08)');
    expect(within(drawer).getByRole('table', { name: 'Recent events' })).toHaveTextContent('Meter cover opened');
    expect(within(drawer).getByRole('link', { name: 'C-000003' })).toHaveAttribute('href', '/cases/C-000003');
    expect(fetchFake.callsTo('GET', '/theft/scores/04318000201')[0]?.query.get('as_of')).toBe('2026-10-19');

    await user.click(within(drawer).getByRole('button', { name: 'Open case' }));

    expect(await screen.findByText('Case page')).toBeInTheDocument();
    expect(fetchFake.callsTo('POST', '/cases')[0]?.body).toEqual({ meter_number: '04318000201' });
  });

  it('names the open case when the meter already has one', async () => {
    fetchFake.on('GET', '/theft/scores/04318000201', () => json(theftDetail('04318000201')));
    fetchFake.on('POST', '/cases', () =>
      apiError(409, 'conflict', 'meter 04318000201 already has an open case (C-000009)', [
        { field: 'meter_number', message: 'open case C-000009' },
      ]),
    );
    const { user } = renderPage();
    await user.click(await screen.findByRole('row', { name: /04318000201/ }));
    const drawer = await screen.findByRole('dialog', { name: 'Evidence for meter 04318000201' });

    await user.click(await within(drawer).findByRole('button', { name: 'Open case' }));

    expect(await screen.findByText('meter 04318000201 already has an open case (C-000009)')).toBeInTheDocument();
    await user.click(await screen.findByRole('link', { name: 'Go to case C-000009' }));
    expect(await screen.findByText('Case page')).toBeInTheDocument();
  });

  it('shows a viewer the evidence without a way to open a case', async () => {
    fetchFake.on('GET', '/theft/scores/04318000202', () => json(theftDetail('04318000202', { open_case: 'C-000007' })));
    const { user } = renderPage('viewer');
    await user.click(await screen.findByRole('button', { name: 'Evidence for 04318000202' }));

    const drawer = await screen.findByRole('dialog', { name: 'Evidence for meter 04318000202' });
    expect(await within(drawer).findByRole('link', { name: 'Open case C-000007' })).toBeInTheDocument();
    expect(within(drawer).queryByRole('button', { name: 'Open case' })).not.toBeInTheDocument();
  });

  it('lets an admin change the rule thresholds', async () => {
    fetchFake.on('GET', '/theft/settings', () => json({ drop_pct: 80, area_ratio_pct: 30, alert_min_risk: 'high' }));
    fetchFake.on('PUT', '/theft/settings', (request) => json(request.body));
    const { user } = renderPage('admin');
    await user.click(await screen.findByRole('button', { name: 'Detection settings' }));

    const dialog = await screen.findByRole('dialog', { name: 'Detection settings' });
    const drop = await within(dialog).findByRole('textbox', { name: /Consumption drop/ });
    await user.clear(drop);
    await user.type(drop, '100');
    await user.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    expect(await within(dialog).findByText('Consumption drop must be above 0 and below 100')).toBeInTheDocument();
    expect(fetchFake.callsTo('PUT', '/theft/settings')).toHaveLength(0);

    await user.clear(drop);
    await user.type(drop, '70');
    await user.selectOptions(within(dialog).getByRole('combobox', { name: /Alert on model risk/ }), 'Medium and high');
    await user.click(within(dialog).getByRole('button', { name: 'Save settings' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fetchFake.callsTo('PUT', '/theft/settings')[0]?.body).toEqual({ drop_pct: 70, area_ratio_pct: 30, alert_min_risk: 'medium' });
  });
});
