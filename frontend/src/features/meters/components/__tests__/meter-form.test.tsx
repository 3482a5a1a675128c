import { screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { MeterFormModal } from '@/features/meters/components/meter-form';
import { fetchFake, json, page } from '@/testing/fetch-fake';
import { area, meter, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';

describe('Meter form', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/areas', () => page([area('a-1', 'Downtown')]));
    fetchFake.on('GET', '/device-profiles', () => page([]));
  });

  it('registers a meter as generating, so its export is not reverse flow', async () => {
    fetchFake.on('PATCH', '/meters/04312000000', () => json(meter('04312000000', { generating: true })));
    const { user } = renderWithApp(<MeterFormModal opened meter={meter('04312000000')} onClose={() => undefined} />, {
      user: userInfo('operator'),
    });

    const generating = await screen.findByRole('checkbox', { name: 'Generating (e.g. rooftop solar)' });
    expect(generating).not.toBeChecked();
    await user.click(generating);
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await expect.poll(() => fetchFake.callsTo('PATCH', '/meters/04312000000').length).toBe(1);
    expect(fetchFake.callsTo('PATCH', '/meters/04312000000')[0]?.body).toMatchObject({ generating: true, status: 'warehouse' });
  });

  it('adds a meter that is not generating unless ticked', async () => {
    fetchFake.on('POST', '/meters', () => json(meter('04312000009'), 201));
    const { user } = renderWithApp(<MeterFormModal opened meter={null} onClose={() => undefined} />, {
      user: userInfo('operator'),
    });

    await user.type(await screen.findByRole('textbox', { name: 'Meter number' }), '04312000009');
    await user.type(screen.getByRole('textbox', { name: 'Concentrator ID' }), 'DCU-0001');
    await user.type(screen.getByRole('textbox', { name: 'Meter type' }), 'Single Phase');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await expect.poll(() => fetchFake.callsTo('POST', '/meters').length).toBe(1);
    expect(fetchFake.callsTo('POST', '/meters')[0]?.body).toMatchObject({ meter_number: '04312000009', generating: false });
  }, 15_000);
});
