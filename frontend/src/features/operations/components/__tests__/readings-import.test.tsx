import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ReadingsImport } from '@/features/operations/components/readings-import';
import { apiError, fetchFake, json } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { readingImportReport } from '@/testing/operations-fixtures';
import { renderWithApp } from '@/testing/render';

const csv = () =>
  new File(
    ['Meter Number,Timestamp,Import kWh,Export kWh\n04312000000,2025-01-14T00:15:00+01:00,10422.51,0\n'],
    'readings.csv',
    { type: 'text/csv' },
  );

async function pickFile() {
  const view = renderWithApp(<ReadingsImport />, { user: userInfo('operator'), route: '/readings-import' });
  await view.user.upload(screen.getByLabelText('CSV file'), csv());
  return view;
}

const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent));

describe('Interval data import', () => {
  it('checks the file with a dry run, lists the bad rows and keeps Import disabled', async () => {
    fetchFake.on('POST', '/readings/import', () =>
      json(
        readingImportReport({
          new_points: 188,
          errors: [
            { row: 3, field: 'Timestamp', message: 'no UTC offset' },
            { row: 7, field: 'Meter Number', message: 'unknown meter 04319999999' },
          ],
          errors_left_off: 4,
        }),
      ),
    );
    await pickFile();

    const dryRun = await screen.findByRole('region', { name: 'Dry run' });
    expect(rowsOf(within(dryRun).getByRole('table', { name: 'Import errors' }))).toEqual([
      ['3', 'Timestamp', 'no UTC offset'],
      ['7', 'Meter Number', 'unknown meter 04319999999'],
    ]);
    expect(within(dryRun).getByText('And 4 more errors not listed.')).toBeInTheDocument();
    const summary = within(within(dryRun).getByRole('group', { name: 'Dry run summary' }));
    expect(summary.getByText('Rows: 192')).toBeInTheDocument();
    expect(summary.getByText('Meters: 2')).toBeInTheDocument();
    expect(summary.getByText('New readings: 188')).toBeInTheDocument();
    expect(summary.getByText('Errors: 6')).toBeInTheDocument();
    expect(within(dryRun).getByText(/^Readings from .+ to .+/)).toBeInTheDocument();
    expect(within(dryRun).getByRole('button', { name: /^Import/ })).toBeDisabled();

    const [call] = fetchFake.callsTo('POST', '/readings/import');
    expect(call?.query.get('dry_run')).toBe('true');
    expect(call?.headers.get('Content-Type')).toBe('text/csv');
    expect(call?.body).toBeInstanceOf(File);
  });

  it('imports a clean file only after its dry run, and shows what was written', async () => {
    fetchFake.on('POST', '/readings/import', (request) =>
      json(
        request.query.get('dry_run') === 'true'
          ? readingImportReport()
          : readingImportReport({ dry_run: false, written: 190, flags: 1 }),
      ),
    );
    const { user } = await pickFile();

    const dryRun = await screen.findByRole('region', { name: 'Dry run' });
    expect(fetchFake.callsTo('POST', '/readings/import')).toHaveLength(1);
    const commit = within(dryRun).getByRole('button', { name: 'Import 190 readings' });
    expect(commit).toBeEnabled();
    await user.click(commit);

    expect(await screen.findByText('Imported 190 readings.')).toBeInTheDocument();
    const result = screen.getByRole('alert', { name: 'Imported' });
    expect(result).toHaveTextContent('190 readings written for 2 meters; 2 unchanged were skipped.');
    expect(result).toHaveTextContent('1 register reset was recorded in the event log.');
    expect(screen.queryByRole('region', { name: 'Dry run' })).not.toBeInTheDocument();
    expect(fetchFake.callsTo('POST', '/readings/import').map((call) => call.query.get('dry_run'))).toEqual([
      'true',
      'false',
    ]);
  });

  it('says so when a clean file holds nothing new', async () => {
    fetchFake.on('POST', '/readings/import', () => json(readingImportReport({ new_points: 0, unchanged_points: 192 })));
    await pickFile();

    const dryRun = await screen.findByRole('region', { name: 'Dry run' });
    expect(within(dryRun).getByText(/nothing new to import/)).toBeInTheDocument();
    expect(within(dryRun).getByRole('button', { name: 'Import' })).toBeDisabled();
  });

  it('shows the rows the server refused when the real import fails', async () => {
    fetchFake.on('POST', '/readings/import', (request) =>
      request.query.get('dry_run') === 'true'
        ? json(readingImportReport())
        : apiError(422, 'validation_failed', 'Nothing was written: 1 row is invalid', [
            { row: 2, field: 'Import kWh', message: 'lower than the stored reading' },
          ]),
    );
    const { user } = await pickFile();

    await user.click(await screen.findByRole('button', { name: 'Import 190 readings' }));

    const failure = await screen.findByRole('alert', { name: 'Nothing was imported' });
    expect(failure).toHaveTextContent('Nothing was written: 1 row is invalid');
    expect(rowsOf(within(failure).getByRole('table', { name: 'Import errors' }))).toEqual([
      ['2', 'Import kWh', 'lower than the stored reading'],
    ]);
  });
});
