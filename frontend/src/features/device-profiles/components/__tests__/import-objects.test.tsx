import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeviceProfileDetail } from '@/features/device-profiles/components/device-profile-detail';
import { fetchFake, json } from '@/testing/fetch-fake';
import { cosemObject, deviceProfile, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';

const profile = deviceProfile('p-1', { objects: [cosemObject('1.0.1.8.0.255'), cosemObject('1.0.2.8.0.255')] });

const obisFile = () =>
  new File(
    [
      'OBIS Code,Class ID,Kind,Index,Name,Group,Unit,Scaler,Access,Data Type\n',
      '0.0.1.0.0.255,8,attribute,2,Meter clock,Clock,,,RW,date-time\n',
      '0.0.10.0.1.255,9,method,1,MD reset,Demand,,,R,\n',
    ],
    'obis.csv',
    { type: 'text/csv' },
  );

const report = (overrides: object = {}) => ({
  dry_run: true,
  total_rows: 2,
  valid_rows: 2,
  created: 0,
  errors: [],
  preview: [{ 'OBIS Code': '0.0.1.0.0.255', 'Class ID': '8', Name: 'Meter clock', Group: 'Clock' }],
  ...overrides,
});

const IMPORT = '/device-profiles/p-1/objects/import';

async function pickFile() {
  const view = renderWithApp(<DeviceProfileDetail id="p-1" />, { user: userInfo('operator') });
  await view.user.click(await screen.findByRole('button', { name: 'Import OBIS file' }));
  const dialog = await screen.findByRole('dialog', { name: 'Import OBIS file' });
  await view.user.upload(within(dialog).getByLabelText('CSV file'), obisFile());
  return { ...view, dialog };
}

describe('OBIS file import', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/device-profiles/p-1', () => json(profile));
  });

  it('warns that the file replaces the objects, and lists the bad rows of the dry run', async () => {
    fetchFake.on('POST', IMPORT, () =>
      json(
        report({
          valid_rows: 1,
          errors: [{ row: 3, field: 'Access', message: "a method's access must be X (execute)" }],
        }),
      ),
    );

    const { dialog } = await pickFile();

    expect(dialog).toHaveTextContent('The file replaces all 2 objects of Hexing HXE110');
    const errors = await within(dialog).findByRole('table', { name: 'Import errors' });
    const rows = within(errors)
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent));
    expect(rows).toEqual([['3', 'Access', "a method's access must be X (execute)"]]);
    expect(within(dialog).getByText('Valid rows: 1')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: /^Import/ })).toBeDisabled();

    const call = fetchFake.callsTo('POST', IMPORT)[0];
    expect(call?.query.get('dry_run')).toBe('true');
    expect(call?.headers.get('Content-Type')).toBe('text/csv');
    expect(call?.body).toBeInstanceOf(File);
  });

  it('imports a clean file after the dry run', async () => {
    fetchFake.on('POST', IMPORT, (request) =>
      json(request.query.get('dry_run') ? report() : report({ dry_run: false, created: 2 })),
    );
    const { dialog, user } = await pickFile();

    await user.click(await within(dialog).findByRole('button', { name: 'Import 2 objects' }));

    expect(await screen.findByText('Imported 2 objects.')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fetchFake.callsTo('POST', IMPORT).map((call) => call.query.get('dry_run'))).toEqual(['true', null]);
    expect(fetchFake.callsTo('GET', '/device-profiles/p-1').length).toBeGreaterThan(1);
  });
});
