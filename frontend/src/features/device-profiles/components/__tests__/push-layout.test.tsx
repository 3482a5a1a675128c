import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeviceProfileDetail } from '@/features/device-profiles/components/device-profile-detail';
import { apiError, fetchFake, json } from '@/testing/fetch-fake';
import { cosemObject, deviceProfile, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';

const profile = deviceProfile('p-1', {
  objects: [
    cosemObject('0.0.1.0.0.255', { class_id: 8, name: 'Meter clock' }),
    cosemObject('1.0.1.8.0.255', { name: 'Energy import' }),
    cosemObject('1.0.32.7.0.255', { name: 'Voltage L1' }),
    cosemObject('0.0.10.0.1.255', { class_id: 9, kind: 'method', index: 1, access: 'X', name: 'MD reset' }),
  ],
  push_layout: [
    { position: 2, obis: '1.0.1.8.0.255', class_id: 3, index: 2 },
    { position: 1, obis: '0.0.1.0.0.255', class_id: 8, index: 2 },
  ],
});

async function openLayout(role: 'operator' | 'viewer' = 'operator') {
  const view = renderWithApp(<DeviceProfileDetail id="p-1" />, { user: userInfo(role) });
  await screen.findByRole('heading', { name: 'Push layout' });
  return view;
}

const position = (n: number) => screen.getByRole('combobox', { name: `Object at position ${n}` });

describe('push layout', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/device-profiles/p-1', () => json(profile));
  });

  it('offers only the profile’s attributes, in the saved order', async () => {
    await openLayout();

    expect(position(1)).toHaveValue('0.0.1.0.0.255|2');
    expect(position(2)).toHaveValue('1.0.1.8.0.255|2');
    const offered = within(position(1)).getAllByRole('option').map((option) => option.textContent);
    expect(offered).toEqual([
      'Choose an object…',
      '0.0.1.0.0.255 · Meter clock',
      '1.0.1.8.0.255 · Energy import',
      '1.0.32.7.0.255 · Voltage L1',
    ]);
    expect(screen.getByRole('button', { name: 'Save push layout' })).toBeDisabled();
  });

  it('saves the edited layout with positions 1..n', async () => {
    fetchFake.on('PATCH', '/device-profiles/p-1', () => json(profile));
    const { user } = await openLayout();

    await user.click(screen.getByRole('button', { name: 'Add position' }));
    await user.click(screen.getByRole('button', { name: 'Save push layout' }));
    expect(screen.getByText('Choose an object')).toBeInTheDocument();
    expect(fetchFake.callsTo('PATCH', '/device-profiles/p-1')).toHaveLength(0);

    await user.selectOptions(position(3), '1.0.32.7.0.255 · Voltage L1');
    await user.click(screen.getByRole('button', { name: 'Move position 3 up' }));
    await user.click(screen.getByRole('button', { name: 'Remove position 1' }));
    await user.click(screen.getByRole('button', { name: 'Save push layout' }));

    expect(await screen.findByText('Push layout saved.')).toBeInTheDocument();
    expect(fetchFake.callsTo('PATCH', '/device-profiles/p-1')[0]?.body).toEqual({
      push_layout: [
        { position: 1, obis: '1.0.32.7.0.255', class_id: 3, index: 2 },
        { position: 2, obis: '1.0.1.8.0.255', class_id: 3, index: 2 },
      ],
    });
  });

  it('shows why the API refused the layout', async () => {
    fetchFake.on('PATCH', '/device-profiles/p-1', () =>
      apiError(422, 'validation_failed', 'position 1: 1.0.1.8.0.255 attribute 2 is not in the profile', [
        { field: 'push_layout', message: 'position 1: 1.0.1.8.0.255 attribute 2 is not in the profile' },
      ]),
    );
    const { user } = await openLayout();

    await user.click(screen.getByRole('button', { name: 'Remove position 1' }));
    await user.click(screen.getByRole('button', { name: 'Save push layout' }));

    expect(await screen.findByText('position 1: 1.0.1.8.0.255 attribute 2 is not in the profile')).toBeInTheDocument();
  });

  it('shows a viewer the layout as a list', async () => {
    await openLayout('viewer');

    const table = screen.getByRole('table', { name: 'Push layout' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['1', '0.0.1.0.0.255', '2', 'Meter clock'],
      ['2', '1.0.1.8.0.255', '2', 'Energy import'],
    ]);
    expect(screen.queryByRole('button', { name: 'Save push layout' })).not.toBeInTheDocument();
  });
});
