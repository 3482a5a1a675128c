import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { MetersList } from '@/features/meters/components/meters-list';
import { fetchFake, page } from '@/testing/fetch-fake';
import { meter, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';

const meters = [meter('04312000000'), meter('04312007919', { status: 'installed', customer_name: 'Ngozi Obi' })];

describe('MetersList', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/meters', () => page(meters, 60));
  });

  it('lists meters with their numbers kept as text, and the total', async () => {
    renderWithApp(<MetersList />, { user: userInfo('operator') });

    const table = await screen.findByRole('table', { name: 'Meters' });
    expect(await within(table).findByText('04312000000')).toBeInTheDocument();
    expect(within(table).getByText('Ngozi Obi')).toBeInTheDocument();
    expect(screen.getByText('1–25 of 60')).toBeInTheDocument();
  });

  it('lets an operator add, edit, delete and import', async () => {
    renderWithApp(<MetersList />, { user: userInfo('operator') });

    expect(await screen.findByRole('button', { name: 'Edit meter 04312000000' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete meter 04312000000' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add meter' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Import CSV' })).toBeInTheDocument();
  });

  it('shows a viewer the list and the export, but no way to change anything', async () => {
    renderWithApp(<MetersList />, { user: userInfo('viewer') });

    expect(await screen.findByText('04312000000')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add meter' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Import CSV' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^(Edit|Delete) meter/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('columnheader', { name: 'Actions' })).not.toBeInTheDocument();
  });

  it('asks only for meters of the area chosen in the header, and for the chosen status', async () => {
    localStorage.setItem('hes.area', 'a-7');
    const { user } = renderWithApp(<MetersList />, { user: userInfo('viewer') });
    await screen.findByText('04312000000');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Status filter' }), 'Faulty');

    const queries = fetchFake.callsTo('GET', '/meters').map((call) => call.query);
    expect(queries[0]?.get('area')).toBe('a-7');
    expect(queries.at(-1)?.get('area')).toBe('a-7');
    expect(queries.at(-1)?.get('status')).toBe('faulty');
  });

  it('sorts by a column when its header is clicked', async () => {
    const { user } = renderWithApp(<MetersList />, { user: userInfo('viewer') });
    await screen.findByText('04312000000');

    await user.click(screen.getByRole('button', { name: 'Status' }));
    await user.click(screen.getByRole('button', { name: 'Status' }));

    const sorts = fetchFake.callsTo('GET', '/meters').map((call) => call.query.get('sort'));
    expect(sorts).toEqual(['meter_number', 'status', '-status']);
    expect(screen.getByRole('columnheader', { name: 'Status' })).toHaveAttribute('aria-sort', 'descending');
  });
});
