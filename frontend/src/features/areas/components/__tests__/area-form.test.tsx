import { screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { components } from '@/lib/api/schema';
import { AreaFormModal } from '@/features/areas/components/area-form';
import { apiError, fetchFake, json } from '@/testing/fetch-fake';
import { area, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';

type Area = components['schemas']['Area'];

const supply: components['schemas']['AreaSupply'] = {
  check_meter: '09900000001',
  transformer_kva: 200,
  no_load_loss_kw: 0.4,
  load_loss_kw: 2.9,
  line_loss_pct: 3,
  min_completeness_pct: 98,
  ntl_alert_pct: 10,
  ntl_alert_days: 3,
};

const renderForm = (edited: Area | null) =>
  renderWithApp(<AreaFormModal opened area={edited} onClose={() => undefined} />, { user: userInfo('operator') });
const patched = () => fetchFake.callsTo('PATCH', '/areas/a-1')[0]?.body;

describe('Area form', () => {
  beforeEach(() => {
    fetchFake.on('PATCH', '/areas/a-1', () => json({ ...area('a-1', 'Downtown'), supply }));
  });

  it('names the check meter and transformer data of an area', async () => {
    const { user } = renderForm(area('a-1', 'Downtown', 12));

    await user.click(screen.getByLabelText('Check meter'));
    await user.paste('09900000001');
    await user.click(screen.getByLabelText('Transformer rating (kVA)'));
    await user.paste('200');
    await user.tripleClick(screen.getByLabelText('Load loss at rating (kW)'));
    await user.paste('2.9');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await expect.poll(patched).toEqual({
      name: 'Downtown',
      description: null,
      supply: { ...supply, no_load_loss_kw: 0, line_loss_pct: 0 },
    });
  });

  it('sends no supply when the check meter is cleared, and shows the server refusing a meter', async () => {
    const { user } = renderForm({ ...area('a-1', 'Downtown', 12), supply });
    expect(screen.getByLabelText('Check meter')).toHaveValue('09900000001');

    await user.clear(screen.getByLabelText('Check meter'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await expect.poll(patched).toEqual({ name: 'Downtown', description: null, supply: null });

    fetchFake.on('PATCH', '/areas/a-1', () =>
      apiError(422, 'validation_failed', 'supply.check_meter: meter is not in this area', [
        { field: 'supply.check_meter', message: "meter '07000000001' is not in this area" },
      ]),
    );
    await user.click(screen.getByLabelText('Check meter'));
    await user.paste('07000000001');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText("meter '07000000001' is not in this area")).toBeInTheDocument();
  });

  it('does not ask for a check meter when adding an area', () => {
    renderForm(null);
    expect(screen.queryByLabelText('Check meter')).not.toBeInTheDocument();
  });
});
