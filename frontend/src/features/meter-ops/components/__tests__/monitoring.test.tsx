import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { Monitoring } from '@/features/meter-ops/components/monitoring';
import { fetchFake, json, page } from '@/testing/fetch-fake';
import { itemResult, job, meter, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';
import { defaultProfile, fakeJobPolls } from '@/features/meter-ops/components/__tests__/meter-fakes';

const meters = [
  meter('04312000000', { online: true, last_seen: '2025-01-15T09:59:30Z', customer_name: 'Chukwuemeka Okafor' }),
  meter('04312007919', { online: false, status: 'installed' }),
  meter('04312015838', { online: true, last_seen: '2025-01-15T09:58:00Z' }),
];

function renderPage(role: 'operator' | 'viewer' = 'operator') {
  return renderWithApp(<Monitoring />, { user: userInfo(role), route: '/monitoring' });
}

describe('Real-time monitoring', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/meters', () => page(meters, 3));
    fetchFake.on('GET', '/device-profiles', () => page([defaultProfile]));
    fetchFake.on('GET', '/jobs', () => page([job('j-0', { '04312000000': [] }, { title: 'relay disconnect 04312000000' })]));
  });

  it('lists every meter with its presence, honouring the area filter, the search and the status filter', async () => {
    localStorage.setItem('hes.area', 'a-7');
    const { user } = renderPage();

    const table = await screen.findByRole('table', { name: 'Meters' });
    const online = within(await within(table).findByRole('row', { name: /04312000000/ }));
    expect(online.getByText('Online')).toBeInTheDocument();
    expect(online.getByText('Chukwuemeka Okafor')).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: /04312007919/ })).toHaveTextContent('Offline');

    await user.type(screen.getByRole('textbox', { name: 'Search' }), '0431200');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status filter' }), 'Active');

    await expect.poll(() => fetchFake.callsTo('GET', '/meters').at(-1)?.query.get('q')).toBe('0431200');
    const query = fetchFake.callsTo('GET', '/meters').at(-1)?.query;
    expect(query?.get('area')).toBe('a-7');
    expect(query?.get('status')).toBe('active');
    expect(await screen.findByRole('table', { name: 'Recent jobs' })).toHaveTextContent('relay disconnect 04312000000');
  });

  it('reads only the readable parameters ticked in the dialog on the ticked meters, and shows the progress', async () => {
    fetchFake.on('POST', '/jobs', () => json({ id: 'j-1', status: 'running' }, 202));
    fakeJobPolls(
      'j-1',
      job('j-1', {
        '04312000000': [itemResult('1.0.32.7.0.255', { name: 'Voltage L1', unit: 'V', value: 2301 })],
        '04312015838': [itemResult('1.0.32.7.0.255', { ok: false, reason: 'temporary failure', detail: 'busy' })],
      }),
    );
    const { user } = renderPage();
    await screen.findByRole('row', { name: /04312000000/ });
    const read = screen.getByRole('button', { name: 'Read' });
    expect(read).toBeDisabled();

    await user.click(screen.getByRole('checkbox', { name: 'Select all' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select 04312007919' }));
    await user.click(screen.getByRole('button', { name: 'Parameters' }));
    const dialog = await screen.findByRole('dialog', { name: 'Parameters' });
    await user.click(within(dialog).getByRole('checkbox', { name: 'All of Instantaneous' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'Current L1' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'Remote disconnect' }));
    expect(within(dialog).queryByRole('checkbox', { name: 'Logical device name' })).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.getByText('2 meters and 2 parameters selected')).toBeInTheDocument();

    await user.click(read);

    expect(fetchFake.callsTo('POST', '/jobs')[0]?.body).toEqual({
      kind: 'read',
      meters: ['04312000000', '04312015838'],
      items: [{ obis: '1.0.32.7.0.255', class_id: 3, index: 2 }],
    });
    const progress = await screen.findByRole('region', { name: 'Job progress' });
    expect(within(progress).getByRole('progressbar', { name: 'Job progress' })).toHaveAttribute('aria-valuenow', '100');
    expect(progress).toHaveTextContent('2 / 2 meters');
    const results = within(progress).getByRole('table', { name: 'Job results' });
    expect(within(results).getByRole('row', { name: /04312000000/ })).toHaveTextContent('Voltage L1: 230.1 V');
    expect(within(results).getByText('temporary failure (busy)')).toBeInTheDocument();
  });

  it('executes only the ticked methods, after confirmation', async () => {
    fetchFake.on('POST', '/jobs', () => json({ id: 'j-2', status: 'running' }, 202));
    fakeJobPolls('j-2', job('j-2', { '04312000000': [] }, { kind: 'action' }));
    const { user } = renderPage();

    await user.click(await screen.findByRole('checkbox', { name: 'Select 04312000000' }));
    await user.click(screen.getByRole('button', { name: 'Parameters' }));
    const dialog = await screen.findByRole('dialog', { name: 'Parameters' });
    await user.click(within(dialog).getByRole('checkbox', { name: 'Voltage L1' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'Remote disconnect' }));
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    await user.click(screen.getByRole('button', { name: 'Execute' }));

    const confirm = await screen.findByRole('dialog', { name: 'Execute methods' });
    expect(confirm).toHaveTextContent('Execute Remote disconnect on 1 meter?');
    expect(fetchFake.callsTo('POST', '/jobs')).toHaveLength(0);
    await user.click(within(confirm).getByRole('button', { name: 'Confirm' }));

    await screen.findByRole('region', { name: 'Job progress' });
    expect(fetchFake.callsTo('POST', '/jobs')[0]?.body).toEqual({
      kind: 'action',
      meters: ['04312000000'],
      items: [{ obis: '0.0.96.3.10.255', class_id: 70, index: 1 }],
    });
  });

  it('shows a viewer the meters and the jobs, without selection or commands', async () => {
    renderPage('viewer');

    expect(await screen.findByRole('row', { name: /04312000000/ })).toBeInTheDocument();
    expect(await screen.findByRole('table', { name: 'Recent jobs' })).toBeInTheDocument();
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
    for (const name of ['Parameters', 'Read', 'Execute']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
  });
});
