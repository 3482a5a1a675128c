import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { RemoteLoading } from '@/features/meter-ops/components/remote-loading';
import { fetchFake, json, page } from '@/testing/fetch-fake';
import { job, tokenLoad, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';
import { fakeJobPolls, fakeMeter, METER } from '@/features/meter-ops/components/__tests__/meter-fakes';

function renderPage(role: 'operator' | 'viewer' = 'operator') {
  return renderWithApp(<RemoteLoading />, { user: userInfo(role), route: `/remote-loading?meter=${METER}` });
}

const history = [
  tokenLoad('t-2', { token: '****************1111', status: 'rejected', detail: 'rejected: already used or no credit', credit_wh: 1200 }),
  tokenLoad('t-1', { token: '****************7890', status: 'accepted', detail: 'accepted', credit_wh: 96772 }),
];

describe('Remote loading', () => {
  beforeEach(() => {
    fakeMeter();
  });

  it('lists the meter’s token history, masked and grouped, with the outcome and credit', async () => {
    fetchFake.on('GET', `/meters/${METER}/tokens`, () => page(history));
    renderPage();

    const table = await screen.findByRole('table', { name: 'Token history' });
    await within(table).findByText('****-****-****-****-1111');
    const rows = within(table).getAllByRole('row').slice(1).map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent));
    expect(rows.map((cells) => cells.slice(1))).toEqual([
      ['****-****-****-****-1111', 'Rejected', 'rejected: already used or no credit', '1,200 Wh', 'operator'],
      ['****-****-****-****-7890', 'Accepted', 'accepted', '96,772 Wh', 'operator'],
    ]);
  });

  it('refuses a token that is not 20 digits, and groups the digits as they are typed', async () => {
    fetchFake.on('GET', `/meters/${METER}/tokens`, () => page([]));
    const { user } = renderPage();
    const input = await screen.findByRole('textbox', { name: 'Token' });

    await user.click(screen.getByRole('button', { name: 'Load token' }));
    expect(screen.getByText('Enter the 20-digit token')).toBeInTheDocument();

    await user.type(input, '1234 5678 9012 3456 789');
    expect(input).toHaveValue('1234-5678-9012-3456-789');
    await user.click(screen.getByRole('button', { name: 'Load token' }));

    expect(screen.getByText('A token has 20 digits; 19 entered')).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(fetchFake.callsTo('POST', `/meters/${METER}/tokens`)).toHaveLength(0);
  });

  it('loads a token, follows the job and shows the outcome and the credit, then the refreshed history', async () => {
    let loaded = false;
    fetchFake.on('GET', `/meters/${METER}/tokens`, () =>
      page(loaded ? [tokenLoad('j-5', { token: '****************0123', status: 'rejected', detail: 'rejected: not for this meter', credit_wh: 5000 })] : []),
    );
    fetchFake.on('POST', `/meters/${METER}/tokens`, () => {
      loaded = true;
      return json({ id: 'j-5', status: 'running' }, 202);
    });
    fakeJobPolls('j-5', job('j-5', { [METER]: null }), job('j-5', { [METER]: [] }));
    const { user } = renderPage();

    await user.type(await screen.findByRole('textbox', { name: 'Token' }), '12345678901234560123');
    await user.click(screen.getByRole('button', { name: 'Load token' }));

    expect(await screen.findByText(`Loading the token on meter ${METER}…`)).toBeInTheDocument();
    const result = await screen.findByRole('alert', { name: 'Token rejected' }, { timeout: 4000 });
    expect(result).toHaveTextContent('rejected: not for this meter');
    expect(result).toHaveTextContent('Credit read back: 5,000 Wh');
    expect(fetchFake.callsTo('POST', `/meters/${METER}/tokens`)[0]?.body).toEqual({ token: '12345678901234560123' });
    expect(await within(screen.getByRole('table', { name: 'Token history' })).findByText('****-****-****-****-0123')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Token' })).toHaveValue('');
  });

  it('shows a viewer the history without the token input', async () => {
    fetchFake.on('GET', `/meters/${METER}/tokens`, () => page(history));
    renderPage('viewer');

    expect(await screen.findByText('****-****-****-****-7890')).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'Token' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load token' })).not.toBeInTheDocument();
  });
});
