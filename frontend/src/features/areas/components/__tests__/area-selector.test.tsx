import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { AreaSelector } from '@/features/areas/components/area-selector';
import { fetchFake, page } from '@/testing/fetch-fake';
import { area, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';

const areaFilter = () => screen.getByRole('combobox', { name: 'Area filter' });

async function renderSelector() {
  const view = renderWithApp(<AreaSelector />, { user: userInfo('operator') });
  await waitFor(() => expect(areaFilter()).toBeEnabled());
  return view;
}

describe('AreaSelector', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/areas', () => page([area('a-1', 'Downtown'), area('a-2', 'Industrial Park')]));
  });

  it('offers all areas plus each area from the server', async () => {
    await renderSelector();

    const options = screen.getAllByRole('option').map((option) => option.textContent);
    expect(options).toEqual(['All areas', 'Downtown', 'Industrial Park']);
    expect(fetchFake.callsTo('GET', '/areas')[0]?.query.get('page_size')).toBe('500');
  });

  it('remembers the chosen area across reloads', async () => {
    const first = await renderSelector();
    await first.user.selectOptions(areaFilter(), 'Industrial Park');
    expect(localStorage.getItem('hes.area')).toBe('a-2');
    first.unmount();

    await renderSelector();

    expect(areaFilter()).toHaveValue('a-2');
    expect(screen.getByRole('option', { name: 'Industrial Park' })).toHaveProperty('selected', true);
  });

  it('goes back to all areas when the remembered area no longer exists', async () => {
    localStorage.setItem('hes.area', 'deleted-area');

    await renderSelector();

    await waitFor(() => expect(areaFilter()).toHaveValue(''));
    expect(localStorage.getItem('hes.area')).toBeNull();
  });
});
