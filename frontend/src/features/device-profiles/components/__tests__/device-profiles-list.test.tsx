import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeviceProfilesList } from '@/features/device-profiles/components/device-profiles-list';
import type { UserInfo } from '@/lib/auth';
import { apiError, fetchFake, json, page } from '@/testing/fetch-fake';
import { cosemObject, deviceProfile, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';

const profiles = [
  deviceProfile('p-1', {
    brand: 'Hexing',
    model: 'HXE110',
    objects: [cosemObject('1.0.1.8.0.255'), cosemObject('1.0.32.7.0.255')],
    meter_count: 12,
  }),
  deviceProfile('p-2', { brand: 'Landis+Gyr', model: 'E350', meter_type: null }),
  deviceProfile('p-0', { brand: 'HES Core', model: 'Simulated', is_default: true, meter_count: 50 }),
];

function renderList(user: UserInfo) {
  return renderWithApp(
    <Routes>
      <Route path="/device-profiles" element={<DeviceProfilesList />} />
      <Route path="/device-profiles/:id" element={<p>Profile page</p>} />
    </Routes>,
    { user, route: '/device-profiles' },
  );
}

const cellTexts = (row: HTMLElement) => within(row).getAllByRole('cell').map((cell) => cell.textContent);

describe('DeviceProfilesList', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/device-profiles', () => page(profiles));
  });

  it('lists brand, model, meter type and how many objects and meters each profile has', async () => {
    renderList(userInfo('operator'));

    const table = await screen.findByRole('table', { name: 'Device profiles' });
    await within(table).findByText('HXE110');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => cellTexts(row).slice(0, 5))).toEqual([
      ['Hexing', 'HXE110', 'Single Phase', '2', '12'],
      ['Landis+Gyr', 'E350', '—', '0', '0'],
      ['HES CoreDefault', 'Simulated', 'Single Phase', '0', '50'],
    ]);
    expect(fetchFake.callsTo('GET', '/device-profiles')[0]?.query.get('sort')).toBe('brand');
  });

  it('searches by brand, model and meter type', async () => {
    const { user } = renderList(userInfo('viewer'));
    await screen.findByText('HXE110');

    await user.type(screen.getByRole('textbox', { name: 'Search' }), 'landis');

    await expect.poll(() => fetchFake.callsTo('GET', '/device-profiles').at(-1)?.query.get('q')).toBe('landis');
  });

  it('adds a device profile and opens it', async () => {
    fetchFake.on('POST', '/device-profiles', () => json(deviceProfile('p-9', { brand: 'Inhemeter', model: 'DDZ1513' }), 201));
    const { user } = renderList(userInfo('operator'));

    await user.click(await screen.findByRole('button', { name: 'Add device profile' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add device profile' });
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(within(dialog).getByText('Brand is required')).toBeInTheDocument();
    expect(within(dialog).getByText('Model is required')).toBeInTheDocument();

    await user.type(within(dialog).getByLabelText(/^Brand/), 'Inhemeter');
    await user.type(within(dialog).getByLabelText(/^Model/), 'DDZ1513');
    await user.type(within(dialog).getByLabelText('Meter type'), 'Single Phase');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Device profile Inhemeter DDZ1513 added.')).toBeInTheDocument();
    expect(await screen.findByText('Profile page')).toBeInTheDocument();
    expect(fetchFake.callsTo('POST', '/device-profiles')[0]?.body).toEqual({
      brand: 'Inhemeter',
      model: 'DDZ1513',
      meter_type: 'Single Phase',
    });
  });

  it('shows in the form that the brand and model are taken (409)', async () => {
    fetchFake.on('POST', '/device-profiles', () =>
      apiError(409, 'conflict', 'a profile for this brand and model already exists'),
    );
    const { user } = renderList(userInfo('operator'));

    await user.click(await screen.findByRole('button', { name: 'Add device profile' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add device profile' });
    await user.type(within(dialog).getByLabelText(/^Brand/), 'Hexing');
    await user.type(within(dialog).getByLabelText(/^Model/), 'HXE110');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(await within(dialog).findByText('a profile for this brand and model already exists')).toBeInTheDocument();
    expect(fetchFake.callsTo('POST', '/device-profiles')[0]?.body).toEqual({
      brand: 'Hexing',
      model: 'HXE110',
      meter_type: null,
    });
  });

  it('asks before deleting, and says why when meters still use the profile (409)', async () => {
    fetchFake.on('DELETE', '/device-profiles/p-1', () =>
      apiError(409, 'conflict', '12 meter(s) use this profile; give them another profile first'),
    );
    const { user } = renderList(userInfo('operator'));

    await user.click(await screen.findByRole('button', { name: 'Delete device profile Hexing HXE110' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete device profile' });
    expect(dialog).toHaveTextContent('Delete device profile Hexing HXE110? This cannot be undone.');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

    expect(await within(dialog).findByText(/12 meter\(s\) use this profile/)).toBeInTheDocument();
    expect(fetchFake.callsTo('DELETE', '/device-profiles/p-1')).toHaveLength(1);
  });

  it('does not offer to delete the default profile', async () => {
    renderList(userInfo('operator'));

    expect(await screen.findByRole('button', { name: 'Delete device profile Landis+Gyr E350' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete device profile HES Core Simulated' })).not.toBeInTheDocument();
  });

  it('opens a profile from its row', async () => {
    const { user } = renderList(userInfo('viewer'));

    await user.click(await screen.findByRole('cell', { name: 'HXE110' }));

    expect(await screen.findByText('Profile page')).toBeInTheDocument();
  });

  it('lets a viewer open profiles but not add or delete them', async () => {
    renderList(userInfo('viewer'));

    expect(await screen.findByRole('link', { name: 'Open device profile Hexing HXE110' })).toHaveAttribute(
      'href',
      '/device-profiles/p-1',
    );
    expect(screen.queryByRole('button', { name: 'Add device profile' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Delete device profile/ })).not.toBeInTheDocument();
  });
});
