import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { Component as UnregisteredDevicesPage } from '@/app/routes/unregistered-devices';
import { fetchFake, json, page } from '@/testing/fetch-fake';
import { area, deviceProfile, meter, unregisteredDevice, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';

const devices = [
  unregisteredDevice('04319990001', { peer: '10.1.2.3:40001', frames: 42 }),
  unregisteredDevice('HXE-0042', { peer: null, frames: 1 }),
];

describe('Unregistered devices', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/devices/unregistered', () => page(devices));
  });

  it('lists what dialled in with its address, peer and frames', async () => {
    renderWithApp(<UnregisteredDevicesPage />, { user: userInfo('viewer') });

    const table = await screen.findByRole('table', { name: 'Unregistered devices' });
    const row = within(await within(table).findByRole('row', { name: /04319990001/ }));
    expect(row.getByText('10.1.2.3:40001')).toBeInTheDocument();
    expect(row.getByText('42')).toBeInTheDocument();
    // a viewer cannot add meters
    expect(screen.queryByRole('button', { name: 'Commission' })).not.toBeInTheDocument();
  });

  it('commissions a device through the add-meter form, its address as the meter number, and drops it from the list', async () => {
    let commissioned = false;
    fetchFake.on('GET', '/devices/unregistered', () => page(commissioned ? devices.slice(1) : devices));
    fetchFake.on('GET', '/areas', () => page([area('a-1', 'Downtown')]));
    fetchFake.on('GET', '/device-profiles', () => page([deviceProfile('p-0', { is_default: true })]));
    fetchFake.on('POST', '/meters', () => {
      commissioned = true;
      return json(meter('04319990001'), 201);
    });
    const { user } = renderWithApp(<UnregisteredDevicesPage />, { user: userInfo('operator') });

    const row = await screen.findByRole('row', { name: /04319990001/ });
    await user.click(within(row).getByRole('button', { name: 'Commission' }));

    const dialog = await screen.findByRole('dialog', { name: 'Add meter' });
    expect(within(dialog).getByRole('textbox', { name: /^Meter number/ })).toHaveValue('04319990001');
    await user.type(within(dialog).getByRole('textbox', { name: /^Concentrator ID/ }), 'DCU-0009');
    await user.type(within(dialog).getByRole('textbox', { name: /^Meter type/ }), 'Single Phase');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Meter 04319990001 added.')).toBeInTheDocument();
    // the server takes a commissioned device off the list
    await waitFor(() => expect(screen.queryByRole('row', { name: /04319990001/ })).not.toBeInTheDocument());
    expect(screen.getByRole('row', { name: /HXE-0042/ })).toBeInTheDocument();
    expect(fetchFake.callsTo('POST', '/meters')[0]?.body).toMatchObject({
      meter_number: '04319990001',
      concentrator_id: 'DCU-0009',
      meter_type: 'Single Phase',
    });
  });
});
