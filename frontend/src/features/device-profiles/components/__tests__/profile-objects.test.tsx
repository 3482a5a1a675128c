import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeviceProfileDetail } from '@/features/device-profiles/components/device-profile-detail';
import { apiError, fetchFake, json } from '@/testing/fetch-fake';
import { cosemObject, deviceProfile, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';

const objects = [
  cosemObject('0.0.1.0.0.255', { class_id: 8, name: 'Meter clock', group: 'Clock', access: 'RW', data_type: 'date-time' }),
  cosemObject('1.0.1.8.0.255', {
    name: 'Active energy import (+A) total',
    group: 'Energy',
    unit: 'kWh',
    scaler: 0.01,
    data_type: 'double-long-unsigned',
  }),
  cosemObject('1.0.2.8.0.255', { name: 'Active energy export (-A) total', group: 'Energy', unit: 'kWh' }),
];
const profile = deviceProfile('p-1', { objects });

const catalog = {
  items: [
    {
      obis: '1.0-64.32.7.0.255',
      class_ids: [3, 4],
      description: 'L1 Voltage Inst. value',
    },
  ],
  total: 1,
};

async function openDetail(role: 'operator' | 'viewer' = 'operator') {
  const view = renderWithApp(<DeviceProfileDetail id="p-1" />, { user: userInfo(role) });
  await screen.findByRole('table', { name: 'Objects' });
  return view;
}

async function openAddObject() {
  const view = await openDetail();
  await view.user.click(screen.getByRole('button', { name: 'Add object' }));
  const dialog = await screen.findByRole('dialog', { name: 'Add object' });
  return { ...view, dialog };
}

const field = (dialog: HTMLElement, label: string) =>
  within(dialog).getByLabelText(new RegExp(`^${label.replace(/[()]/g, '\\$&')}`), { selector: 'input, select' });

// The object form is a large modal typed into key by key: more than the default 5 s on a slow machine.
describe('device profile objects', { timeout: 15_000 }, () => {
  beforeEach(() => {
    fetchFake.on('GET', '/device-profiles/p-1', () => json(profile));
    fetchFake.on('GET', '/obis/catalog', () => json({ items: [], total: 0 }));
  });

  it('shows the objects grouped, each group collapsible', async () => {
    const { user } = await openDetail();

    expect(screen.getByRole('heading', { name: 'Hexing HXE110' })).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Objects' });
    const headers = within(table).getAllByRole('columnheader').map((cell) => cell.textContent);
    expect(headers).toEqual([
      'OBIS code',
      'Kind',
      'Class ID',
      'Index',
      'Name',
      'Unit',
      'Scaler',
      'Access',
      'Data type',
      'Actions',
    ]);
    const energy = within(table).getByRole('button', { name: /^Energy/ });
    expect(energy).toHaveTextContent('Energy2 objects');
    expect(energy).toHaveAttribute('aria-expanded', 'true');
    expect(within(table).getByText('Active energy import (+A) total')).toBeInTheDocument();

    await user.click(energy);

    expect(energy).toHaveAttribute('aria-expanded', 'false');
    expect(within(table).queryByText('Active energy import (+A) total')).not.toBeInTheDocument();
    expect(within(table).getByText('Meter clock')).toBeInTheDocument();
  });

  it('checks an object as the API does: a method is executed (access X), never read', async () => {
    const { dialog, user } = await openAddObject();

    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(within(dialog).getByText('OBIS code is required')).toBeInTheDocument();
    expect(within(dialog).getByText('Class ID is required')).toBeInTheDocument();
    expect(within(dialog).getByText('Name is required')).toBeInTheDocument();

    await user.type(field(dialog, 'OBIS code'), '1.0.1.8');
    await user.type(field(dialog, 'Class ID'), '70000');
    await user.clear(field(dialog, 'Index'));
    await user.type(field(dialog, 'Index'), '256');
    await user.type(field(dialog, 'Scaler'), '0');
    await user.type(field(dialog, 'Name'), 'Disconnect');
    await user.selectOptions(field(dialog, 'Kind'), 'method');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(within(dialog).getByText(/^Enter six groups of 0–255/)).toBeInTheDocument();
    expect(within(dialog).getByText('Class ID must be between 1 and 65535')).toBeInTheDocument();
    expect(within(dialog).getByText('Index must be between 1 and 255')).toBeInTheDocument();
    expect(within(dialog).getByText('Scaler must be a number above 0')).toBeInTheDocument();
    expect(within(dialog).getByText("A method's access must be X (execute)")).toBeInTheDocument();
    expect(fetchFake.callsTo('PATCH', '/device-profiles/p-1')).toHaveLength(0);
  });

  it('saves the whole object list with the new object, its OBIS code in canonical form', async () => {
    fetchFake.on('PATCH', '/device-profiles/p-1', () => json(profile));
    const { dialog, user } = await openAddObject();

    await user.type(field(dialog, 'OBIS code'), '0-0:96.3.10.255');
    await user.selectOptions(field(dialog, 'Kind'), 'method');
    await user.type(field(dialog, 'Class ID'), '70');
    await user.clear(field(dialog, 'Index'));
    await user.type(field(dialog, 'Index'), '1');
    await user.type(field(dialog, 'Name'), 'Remote disconnect');
    await user.clear(field(dialog, 'Group'));
    await user.type(field(dialog, 'Group'), 'Relay');
    await user.selectOptions(field(dialog, 'Access'), 'X');
    await user.selectOptions(field(dialog, 'Data type'), 'integer');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Object 0.0.96.3.10.255 method 1 added.')).toBeInTheDocument();
    expect(fetchFake.callsTo('PATCH', '/device-profiles/p-1')[0]?.body).toEqual({
      objects: [
        ...objects,
        {
          obis: '0.0.96.3.10.255',
          class_id: 70,
          kind: 'method',
          index: 1,
          name: 'Remote disconnect',
          group: 'Relay',
          unit: null,
          scaler: null,
          access: 'X',
          data_type: 'integer',
        },
      ],
    });
  });

  it('fills Name and Class ID from the OBIS catalogue while the code is typed', async () => {
    fetchFake.on('GET', '/obis/catalog', () => json(catalog));
    const { dialog, user } = await openAddObject();

    await user.type(field(dialog, 'OBIS code'), '1-0:32.7.0.255');

    await waitFor(() => expect(field(dialog, 'Name')).toHaveValue('L1 Voltage Inst. value'));
    expect(field(dialog, 'Class ID')).toHaveValue('3');
    // The catalogue's matches are offered with their descriptions (hidden: jsdom runs no dropdown transition).
    const option = await screen.findByRole('option', { name: /L1 Voltage Inst\. value/, hidden: true });
    expect(option).toHaveTextContent('1.0.32.7.0.255');
    expect(fetchFake.callsTo('GET', '/obis/catalog').at(-1)?.query.get('q')).toBe('1-0:32.7.0.255');
  });

  it('never overwrites a name the user typed with the catalogue description', async () => {
    fetchFake.on('GET', '/obis/catalog', () => json(catalog));
    const { dialog, user } = await openAddObject();

    await user.type(field(dialog, 'Name'), 'Voltage L1');
    await user.type(field(dialog, 'OBIS code'), '1.0.32.7.0.255');

    await waitFor(() => expect(fetchFake.callsTo('GET', '/obis/catalog').length).toBeGreaterThan(0));
    await waitFor(() => expect(field(dialog, 'Class ID')).toHaveValue('3'));
    expect(field(dialog, 'Name')).toHaveValue('Voltage L1');
  });

  it('refuses a second object with the same code, kind and index', async () => {
    const { dialog, user } = await openAddObject();

    await user.type(field(dialog, 'OBIS code'), '1-0:1.8.0.255');
    await user.type(field(dialog, 'Class ID'), '3');
    await user.type(field(dialog, 'Name'), 'Energy again');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(
      within(dialog).getByText('This profile already has an object with this OBIS code, kind and index'),
    ).toBeInTheDocument();
  });

  it('edits an object in place and shows the API’s complaint about it beside its field', async () => {
    fetchFake.on('PATCH', '/device-profiles/p-1', () =>
      apiError(422, 'validation_failed', 'objects.1.data_type: unknown DLMS data type', [
        { field: 'objects.1.data_type', message: 'unknown DLMS data type' },
      ]),
    );
    const { user } = await openDetail();

    await user.click(screen.getByRole('button', { name: 'Edit object 1.0.1.8.0.255 attribute 2' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit object 1.0.1.8.0.255 attribute 2' });
    expect(field(dialog, 'Name')).toHaveValue('Active energy import (+A) total');
    await user.clear(field(dialog, 'Unit'));
    await user.type(field(dialog, 'Unit'), 'Wh');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(await within(dialog).findByText('unknown DLMS data type')).toBeInTheDocument();
    const sent = fetchFake.callsTo('PATCH', '/device-profiles/p-1')[0]?.body as { objects: { unit: string | null }[] };
    expect(sent.objects.map((object) => object.unit)).toEqual([null, 'Wh', 'kWh']);
  });

  it('deletes an object by saving the list without it', async () => {
    fetchFake.on('PATCH', '/device-profiles/p-1', () => json(profile));
    const { user } = await openDetail();

    await user.click(screen.getByRole('button', { name: 'Delete object 0.0.1.0.0.255 attribute 2' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete object' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

    expect(await screen.findByText('Deleted object 0.0.1.0.0.255 attribute 2.')).toBeInTheDocument();
    expect(fetchFake.callsTo('PATCH', '/device-profiles/p-1')[0]?.body).toEqual({ objects: objects.slice(1) });
  });

  it('shows a viewer the profile without any way to change it', async () => {
    await openDetail('viewer');

    expect(screen.getByText('Active energy import (+A) total')).toBeInTheDocument();
    for (const name of ['Add object', 'Import OBIS file', 'Edit device profile', 'Save push layout', 'Add position']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
    expect(screen.queryByRole('button', { name: /^(Edit|Delete) object/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('columnheader', { name: 'Actions' })).not.toBeInTheDocument();
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument();
  });
});
