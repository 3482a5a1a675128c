import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { MetersList } from '@/features/meters/components/meters-list';
import { apiError, fetchFake, json, page } from '@/testing/fetch-fake';
import { meter, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';

const csv = () =>
  new File(['Meter Number,Concentrator ID,Meter Type,Area\n04312000000,DCU-0001,Three Phase,Downtown\n'], 'meters.csv', {
    type: 'text/csv',
  });

const report = (overrides: object = {}) => ({
  dry_run: true,
  total_rows: 3,
  valid_rows: 3,
  created: 0,
  errors: [],
  preview: [{ meter_number: '04312000000', concentrator_id: 'DCU-0001', meter_type: 'Three Phase', area: 'Downtown' }],
  ...overrides,
});

async function pickFile() {
  const view = renderWithApp(<MetersList />, { user: userInfo('operator') });
  await view.user.click(await screen.findByRole('button', { name: 'Import CSV' }));
  const dialog = await screen.findByRole('dialog', { name: 'Import meters from CSV' });
  await view.user.upload(within(dialog).getByLabelText('CSV file'), csv());
  return { ...view, dialog };
}

describe('meter CSV import', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/meters', () => page([meter('04312000000')]));
  });

  it('checks the file with a dry run and lists every bad row', async () => {
    fetchFake.on('POST', '/meters/import', () =>
      json(
        report({
          valid_rows: 1,
          errors: [
            { row: 2, field: 'Meter Number', message: 'already exists' },
            { row: 3, field: 'Area', message: 'unknown area "Nowhere"' },
          ],
        }),
      ),
    );

    const { dialog } = await pickFile();

    const errors = await within(dialog).findByRole('table', { name: 'Import errors' });
    const rows = within(errors).getAllByRole('row').slice(1).map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['2', 'Meter Number', 'already exists'],
      ['3', 'Area', 'unknown area "Nowhere"'],
    ]);
    expect(within(dialog).getByText('Total rows: 3')).toBeInTheDocument();
    expect(within(dialog).getByText('Valid rows: 1')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: /^Import/ })).toBeDisabled();

    const call = fetchFake.callsTo('POST', '/meters/import')[0];
    expect(call?.query.get('dry_run')).toBe('true');
    expect(call?.headers.get('Content-Type')).toBe('text/csv');
    expect(call?.body).toBeInstanceOf(File);
  });

  it('imports a clean file after the dry run and says how many were created', async () => {
    fetchFake.on('POST', '/meters/import', (request) =>
      json(request.query.get('dry_run') ? report() : report({ dry_run: false, created: 3 })),
    );
    const { dialog, user } = await pickFile();
    expect(await within(dialog).findByRole('table', { name: 'Preview' })).toHaveTextContent('DCU-0001');

    await user.click(within(dialog).getByRole('button', { name: 'Import 3 meters' }));

    expect(await screen.findByText('Imported 3 meters.')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const calls = fetchFake.callsTo('POST', '/meters/import');
    expect(calls.map((call) => call.query.get('dry_run'))).toEqual(['true', null]);
    expect(fetchFake.callsTo('GET', '/meters').length).toBeGreaterThan(1);
  });

  it('shows the rows the server refused when the real import fails', async () => {
    fetchFake.on('POST', '/meters/import', (request) =>
      request.query.get('dry_run')
        ? json(report())
        : apiError(422, 'validation_failed', 'Nothing was written: 1 row is invalid', [
            { row: 1, field: 'Meter Number', message: 'was added meanwhile' },
          ]),
    );
    const { dialog, user } = await pickFile();

    await user.click(await within(dialog).findByRole('button', { name: 'Import 3 meters' }));

    const errors = await within(dialog).findByRole('table', { name: 'Import errors' });
    expect(errors).toHaveTextContent('was added meanwhile');
    expect(within(dialog).getByText('Nothing was written: 1 row is invalid')).toBeInTheDocument();
  });
});
