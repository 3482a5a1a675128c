import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DIRECT_IMPORT_LIMIT } from '@/features/operations/api/import-readings';
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

  describe('a file over the direct limit', () => {
    const big = () => new File([new Uint8Array(DIRECT_IMPORT_LIMIT + 1)], 'history.csv', { type: 'text/csv' });
    const status = (state: string, extra: object = {}) =>
      json({ id: 'u1', status: state, filename: 'history.csv', size: DIRECT_IMPORT_LIMIT + 1, dry_run: true, report: null,
        error: null, errors: [], created_at: '2026-11-26T10:00:00Z', updated_at: '2026-11-26T10:00:00Z', ...extra });

    async function pickBig() {
      const view = renderWithApp(<ReadingsImport />, { user: userInfo('operator'), route: '/readings-import' });
      await view.user.upload(screen.getByLabelText('CSV file'), big());
      return view;
    }

    it('goes to S3 once, then checks and imports it in the background', async () => {
      fetchFake.on('POST', '/readings/import/uploads', () =>
        json({ id: 'u1', upload_url: 'https://s3.example.com/api/v1/s3/imports/u1.csv?X-Amz-Signature=abc', method: 'PUT',
          content_type: 'text/csv', with_credentials: false, expires_in: 3600 }, 201),
      );
      fetchFake.on('PUT', '/s3/imports/u1.csv', () => new Response(null, { status: 200 }));
      let dryRun = true;
      fetchFake.on('POST', '/readings/import/uploads/u1/run', (request) => {
        dryRun = request.query.get('dry_run') === 'true';
        return status('queued');
      });
      let polls = 0;
      fetchFake.on('GET', '/readings/import/uploads/u1', () => {
        polls += 1;
        if (polls % 2) return status('running');
        return status('done', { report: dryRun ? readingImportReport() : readingImportReport({ dry_run: false, written: 190 }) });
      });
      const { user } = await pickBig();

      const checked = await screen.findByRole('region', { name: 'Dry run' }, { timeout: 5000 });
      await user.click(within(checked).getByRole('button', { name: 'Import 190 readings' }));
      expect(await screen.findByText('Imported 190 readings.', {}, { timeout: 5000 })).toBeInTheDocument();

      const [put, ...again] = fetchFake.callsTo('PUT', '/s3/imports/u1.csv');
      expect(again).toEqual([]);
      expect(put?.headers.get('Authorization')).toBeNull();
      expect(put?.headers.get('Content-Type')).toBe('text/csv');
      expect(fetchFake.callsTo('POST', '/readings/import/uploads/u1/run').map((c) => c.query.get('dry_run'))).toEqual([
        'true',
        'false',
      ]);
      expect(fetchFake.callsTo('POST', '/readings/import')).toEqual([]);
    });

    it('shows the rows a background run refused', async () => {
      fetchFake.on('POST', '/readings/import/uploads', () =>
        json({ id: 'u1', upload_url: '/api/v1/readings/import/uploads/u1/file', method: 'PUT', content_type: 'text/csv',
          with_credentials: true, expires_in: 3600 }, 201),
      );
      fetchFake.on('PUT', '/readings/import/uploads/u1/file', () => status('uploaded'));
      fetchFake.on('POST', '/readings/import/uploads/u1/run', () => status('queued'));
      fetchFake.on('GET', '/readings/import/uploads/u1', () =>
        status('failed', { error: '1 problem(s); nothing was imported. First: row 2, Import kWh: not a number',
          errors: [{ row: 2, field: 'Import kWh', message: 'not a number' }] }),
      );
      await pickBig();

      const failure = await screen.findByRole('alert', { name: 'The file could not be checked' }, { timeout: 5000 });
      expect(failure).toHaveTextContent('nothing was imported');
      expect(rowsOf(within(failure).getByRole('table', { name: 'Import errors' }))).toEqual([['2', 'Import kWh', 'not a number']]);
      expect(fetchFake.callsTo('PUT', '/readings/import/uploads/u1/file')[0]?.headers.get('Authorization')).toMatch(/^Bearer /);
    });
  });
});
