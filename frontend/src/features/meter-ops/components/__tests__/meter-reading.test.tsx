import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { MeterReading } from '@/features/meter-ops/components/meter-reading';
import { fetchFake, json } from '@/testing/fetch-fake';
import { itemResult, job, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';
import { fakeJobPolls, fakeMeter, METER } from '@/features/meter-ops/components/__tests__/meter-fakes';

const POLLED = { timeout: 4000 };

function renderPage(role: 'operator' | 'viewer' = 'operator', route = `/meter-reading?meter=${METER}`) {
  return renderWithApp(<MeterReading />, { user: userInfo(role), route });
}

const group = (name: string) => screen.findByRole('group', { name });
const row = (container: HTMLElement, name: RegExp) => within(container).getByRole('row', { name });

describe('Meter reading', () => {
  beforeEach(() => {
    fakeMeter();
  });

  it('finds meters by number, shows which are online, and the chosen meter with its details', async () => {
    const { user } = renderPage('operator', '/meter-reading');

    await user.type(screen.getByRole('textbox', { name: 'Meter number' }), '0431');
    const found = await screen.findByRole('list', { name: 'Meters found' });
    expect(await within(found).findByRole('button', { name: /04312000000/ })).toHaveTextContent('Online');
    expect(within(found).getByRole('button', { name: /04312039595/ })).toHaveTextContent('Offline');
    await expect.poll(() => fetchFake.callsTo('GET', '/meters').at(-1)?.query.get('q')).toBe('0431');

    await user.click(within(found).getByRole('button', { name: /04312000000/ }));

    const details = await screen.findByRole('region', { name: `Meter ${METER}` });
    expect(await within(details).findByText('Online')).toBeInTheDocument();
    expect(details).toHaveTextContent(/Last seen/);
    expect(details).toHaveTextContent('Chukwuemeka Okafor');
    expect(details).toHaveTextContent('DCU-0001');
    expect(details).toHaveTextContent('8923401000000000000');
    expect(details).toHaveTextContent('Downtown');
  });

  it('shows where a secured meter is connected and the frame counters kept for its sessions', async () => {
    fakeMeter({ status: { peer: '10.0.0.7:40112', edge: 'e2', invocation_counters: { hes: 1207, meter: 98311 } } });
    renderPage();

    const details = await screen.findByRole('region', { name: `Meter ${METER}` });
    expect(await within(details).findByText(/10\.0\.0\.7:40112 · edge e2/)).toBeInTheDocument();
    expect(details).toHaveTextContent("HLS frame countersours 1207 · meter's 98311");
  });

  it('shows a meter that has not been heard from as offline', async () => {
    fakeMeter({ online: false });
    renderPage();

    const details = await screen.findByRole('region', { name: `Meter ${METER}` });
    expect(await within(details).findByText('Offline')).toBeInTheDocument();
  });

  it('lists the readable parameters by group and the latest pushed values', async () => {
    renderPage();

    const instantaneous = await group('Instantaneous');
    expect(within(instantaneous).getByText('Voltage L1')).toBeInTheDocument();
    expect(within(instantaneous).getByText('Current L1')).toBeInTheDocument();
    expect(await group('Demand')).toHaveTextContent('Demand period');
    // write-only attributes and methods are not read
    expect(screen.queryByText('Logical device name')).not.toBeInTheDocument();
    expect(screen.queryByText('Remote disconnect')).not.toBeInTheDocument();
    const pushed = screen.getByRole('table', { name: 'Latest pushed values' });
    expect(await within(pushed).findByText('229.8 V')).toBeInTheDocument();
  });

  it('reads a parameter with a job, polls it and shows the scaled value with its unit', async () => {
    fetchFake.on('POST', '/jobs', () => json({ id: 'j-1', status: 'running' }, 202));
    fakeJobPolls(
      'j-1',
      job('j-1', { [METER]: null }),
      job('j-1', { [METER]: [itemResult('1.0.32.7.0.255', { name: 'Voltage L1', unit: 'V', value: 2301 })] }),
    );
    const { user } = renderPage();
    const instantaneous = await group('Instantaneous');

    await user.click(within(instantaneous).getByRole('button', { name: 'Read Voltage L1' }));

    expect(await within(row(instantaneous, /Voltage L1/)).findByText('Reading…')).toBeInTheDocument();
    expect(await within(instantaneous).findByText('230.1 V', {}, POLLED)).toBeInTheDocument();
    expect(fetchFake.callsTo('POST', '/jobs')[0]?.body).toEqual({
      kind: 'read',
      meters: [METER],
      items: [{ obis: '1.0.32.7.0.255', class_id: 3, index: 2 }],
    });
    expect(fetchFake.callsTo('GET', '/jobs/j-1').length).toBeGreaterThanOrEqual(2);
    expect(row(instantaneous, /Voltage L1/)).toHaveTextContent(/2025/);
  });

  it('reads a whole group, and shows in red why an item failed', async () => {
    fetchFake.on('POST', '/jobs', () => json({ id: 'j-2', status: 'running' }, 202));
    fakeJobPolls(
      'j-2',
      job('j-2', {
        [METER]: [
          itemResult('1.0.32.7.0.255', { value: 2298 }),
          itemResult('1.0.31.7.0.255', { ok: false, reason: 'object undefined', detail: 'result code 4' }),
        ],
      }),
    );
    const { user } = renderPage();
    const instantaneous = await group('Instantaneous');

    await user.click(within(instantaneous).getByRole('button', { name: 'Read group' }));

    const failure = await within(row(instantaneous, /Current L1/)).findByText('object undefined (result code 4)');
    expect(failure).toHaveStyle({ color: 'var(--mantine-color-red-text)' });
    expect(row(instantaneous, /Voltage L1/)).toHaveTextContent('229.8 V');
    expect(fetchFake.callsTo('POST', '/jobs')[0]?.body).toMatchObject({
      items: [
        { obis: '1.0.32.7.0.255', index: 2 },
        { obis: '1.0.31.7.0.255', index: 2 },
      ],
    });
  });

  it('reads everything group by group with "Read all"', async () => {
    let n = 0;
    fetchFake.on('POST', '/jobs', () => json({ id: `j-${++n}`, status: 'running' }, 202));
    for (const id of ['j-1', 'j-2', 'j-3', 'j-4', 'j-5', 'j-6']) fakeJobPolls(id, job(id, { [METER]: [] }));
    const { user } = renderPage();
    await group('Instantaneous');

    await user.click(screen.getByRole('button', { name: 'Read all' }));

    await expect.poll(() => fetchFake.callsTo('POST', '/jobs').length).toBe(5);
    const read = fetchFake.callsTo('POST', '/jobs').flatMap((call) => (call.body as { items: { obis: string }[] }).items);
    expect(read.map((item) => item.obis)).toEqual([
      '0.0.1.0.0.255',
      '1.0.1.8.0.255',
      '1.0.32.7.0.255',
      '1.0.31.7.0.255',
      '1.0.0.8.0.255',
      '0.0.96.3.10.255',
    ]);
  });

  it('lets a viewer see the parameters and pushed values, but not read the meter', async () => {
    renderPage('viewer');

    const instantaneous = await group('Instantaneous');
    expect(within(instantaneous).getByText('Voltage L1')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Read all' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Read group' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Read / })).not.toBeInTheDocument();
  });
});

describe('Meter reading: connection diagnostics', () => {
  beforeEach(() => {
    fakeMeter();
  });

  it('asks the edge for the socket and lists its last frames in both directions', async () => {
    fetchFake.on('POST', `/meters/${METER}/diagnostics`, () => json({ id: 'j-diag', status: 'running' }, 202));
    const value = {
      meter: METER, peer: '10.20.0.10:40112', opened_at: '2026-11-26T10:00:00Z', last_frame_at: '2026-11-26T10:05:00Z',
      frames: [['in', '0f00000001'], ['out', 'c001c1000800']],
    };
    fakeJobPolls('j-diag', job('j-diag', { [METER]: [itemResult('0.0.0.0.0.0', { op: 'diagnostics', class_id: 0, index: 0, value })] }));
    const { user } = renderPage();
    const card = await screen.findByRole('region', { name: 'Connection' });
    await user.click(within(card).getByRole('button', { name: 'Show last frames' }));
    const frames = await within(card).findByRole('table', { name: 'Last frames' }, POLLED);
    expect(within(frames).getAllByRole('row')).toHaveLength(3);
    expect(frames).toHaveTextContent('meter →0f00000001');
    expect(frames).toHaveTextContent('→ meterc001c1000800');
    expect(card).toHaveTextContent('10.20.0.10:40112');
  });

  it('is not offered to a viewer', async () => {
    renderPage('viewer');
    await screen.findByRole('region', { name: `Meter ${METER}` });
    expect(screen.queryByRole('region', { name: 'Connection' })).not.toBeInTheDocument();
  });
});
