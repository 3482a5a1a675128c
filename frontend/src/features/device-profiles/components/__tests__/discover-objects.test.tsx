import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { components } from '@/lib/api/schema';
import { DeviceProfileDetail } from '@/features/device-profiles/components/device-profile-detail';
import { apiError, fetchFake, json } from '@/testing/fetch-fake';
import { cosemObject, deviceProfile, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';

type DiscoveryResult = components['schemas']['DiscoveryResult'];
type DiscoveredObject = components['schemas']['DiscoveredObject'];

const METER = '04312000000';
const POLLED = { timeout: 4000 };
const clock = cosemObject('0.0.1.0.0.255', { class_id: 8, name: 'Meter clock', group: 'Clock', access: 'RW' });
const profile = deviceProfile('p-1', { objects: [clock] });

const found = (obis: string, overrides: Partial<DiscoveredObject> = {}): DiscoveredObject => ({
  obis,
  class_id: 3,
  kind: 'attribute',
  index: 2,
  name: `Object ${obis}`,
  access: 'R',
  in_profile: false,
  ...overrides,
});

const discovered = [
  found('0.0.1.0.0.255', { class_id: 8, name: 'Meter clock', access: 'RW', in_profile: true }),
  found('1.0.1.8.0.255', { name: 'Active energy import' }),
  found('0.0.96.3.10.255', { class_id: 70, kind: 'method', index: 1, name: 'Remote disconnect', access: 'X' }),
];

const result = (overrides: Partial<DiscoveryResult> = {}): DiscoveryResult => ({
  job: 'j-1',
  status: 'done',
  meter_number: METER,
  error: null,
  objects: [],
  ...overrides,
});

/** The job answers "running" once, then `final` for ever. */
function fakeDiscovery(final: DiscoveryResult) {
  let polls = 0;
  fetchFake.on('POST', '/device-profiles/p-1/discover', () => json({ id: 'j-1', status: 'running' }, 202));
  fetchFake.on('GET', '/device-profiles/p-1/discover/j-1', () =>
    json(polls++ === 0 ? result({ status: 'running' }) : final),
  );
}

async function discover(role: 'operator' | 'admin' = 'operator') {
  const view = renderWithApp(<DeviceProfileDetail id="p-1" />, { user: userInfo(role) });
  await screen.findByRole('table', { name: 'Objects' });
  await view.user.click(screen.getByRole('button', { name: 'Discover from meter' }));
  const dialog = await screen.findByRole('dialog', { name: 'Discover objects from a meter' });
  await view.user.type(within(dialog).getByLabelText(/^Meter number/), METER);
  await view.user.click(within(dialog).getByRole('button', { name: 'Discover' }));
  return { ...view, dialog };
}

describe('discover objects from a meter', { timeout: 15_000 }, () => {
  beforeEach(() => {
    fetchFake.on('GET', '/device-profiles/p-1', () => json(profile));
  });

  it('starts a discovery, polls it and adds the chosen new objects to the profile', async () => {
    fakeDiscovery(result({ objects: discovered }));
    fetchFake.on('PATCH', '/device-profiles/p-1', () => json(profile));
    const { dialog, user } = await discover();

    expect(await within(dialog).findByText("Reading the meter's object list…")).toBeInTheDocument();
    const table = await within(dialog).findByRole('table', { name: 'Discovered objects' }, POLLED);
    expect(fetchFake.callsTo('POST', '/device-profiles/p-1/discover')[0]?.query.get('meter')).toBe(METER);
    expect(fetchFake.callsTo('GET', '/device-profiles/p-1/discover/j-1').length).toBeGreaterThanOrEqual(2);

    // The clock is already in the profile: shown as such, not selectable.
    const clockRow = within(table).getByText('Meter clock').closest('tr') as HTMLElement;
    expect(within(clockRow).getByText('In profile')).toBeInTheDocument();
    expect(within(clockRow).queryByRole('checkbox')).not.toBeInTheDocument();
    const add = within(dialog).getByRole('button', { name: 'Add 0 objects' });
    expect(add).toBeDisabled();

    await user.click(within(dialog).getByRole('checkbox', { name: 'Select all new' }));
    expect(within(dialog).getByRole('button', { name: 'Add 2 objects' })).toBeEnabled();
    await user.click(within(table).getByRole('checkbox', { name: 'Select 1.0.1.8.0.255 attribute 2' }));
    expect(within(dialog).getByRole('checkbox', { name: 'Select all new' })).not.toBeChecked();
    await user.click(within(dialog).getByRole('button', { name: 'Add 1 object' }));

    expect(await screen.findByText('Added 1 object to Hexing HXE110.')).toBeInTheDocument();
    expect(fetchFake.callsTo('PATCH', '/device-profiles/p-1')[0]?.body).toEqual({
      objects: [
        clock,
        {
          obis: '0.0.96.3.10.255',
          class_id: 70,
          kind: 'method',
          index: 1,
          name: 'Remote disconnect',
          group: 'Discovered',
          unit: null,
          scaler: null,
          access: 'X',
          data_type: null,
        },
      ],
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // The profile is asked for again, so the page shows the new objects.
    expect(fetchFake.callsTo('GET', '/device-profiles/p-1').length).toBeGreaterThanOrEqual(2);
  });

  it("shows the meter's error, a time-out and a refusal clearly", async () => {
    fakeDiscovery(result({ error: 'Meter 04312000000 is not connected' }));
    const { dialog, user } = await discover();
    expect(await within(dialog).findByText('Meter 04312000000 is not connected', {}, POLLED)).toBeInTheDocument();
    expect(within(dialog).getByText('The discovery failed')).toBeInTheDocument();

    fetchFake.on('GET', '/device-profiles/p-1/discover/j-2', () => json(result({ job: 'j-2', status: 'timed_out' })));
    fetchFake.on('POST', '/device-profiles/p-1/discover', () => json({ id: 'j-2', status: 'running' }, 202));
    await user.click(within(dialog).getByRole('button', { name: 'Discover' }));
    expect(await within(dialog).findByText('The discovery timed out')).toBeInTheDocument();

    fetchFake.on('POST', '/device-profiles/p-1/discover', () => apiError(404, 'not_found', 'No meter 04312000000'));
    await user.click(within(dialog).getByRole('button', { name: 'Discover' }));
    expect(await within(dialog).findByText('No meter 04312000000')).toBeInTheDocument();
    expect(within(dialog).getByText('The discovery could not start')).toBeInTheDocument();
    expect(within(dialog).queryByText('The discovery timed out')).not.toBeInTheDocument();
  });

  it('is offered only to users who may execute commands', async () => {
    renderWithApp(<DeviceProfileDetail id="p-1" />, { user: userInfo('viewer') });
    await screen.findByRole('table', { name: 'Objects' });
    expect(screen.queryByRole('button', { name: 'Discover from meter' })).not.toBeInTheDocument();
  });
});
