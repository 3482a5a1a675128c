import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MyMeters } from '@/features/self-service/components/my-meters';
import { fetchFake, json } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';
import { MINE, MINE_TOO, myMeter, myMeters } from '@/features/self-service/components/__tests__/my-fakes';

const renderPage = () => renderWithApp(<MyMeters />, { user: userInfo('customer'), route: '/my-meters' });

describe('My meters', () => {
  it('shows each meter with its online status, relay state, credit and register reading', async () => {
    fetchFake.on('GET', '/my/meters', () =>
      json(
        myMeters([
          myMeter(MINE),
          myMeter(MINE_TOO, { online: false, relay_state: null, has_credit: false, credit: null, import_kwh: null }),
        ]),
      ),
    );
    renderPage();

    const prepaid = await screen.findByRole('article', { name: `Meter ${MINE}` });
    expect(screen.getByText('Chukwuemeka Okafor')).toBeInTheDocument();
    expect(within(prepaid).getByText('Online')).toBeInTheDocument();
    expect(within(prepaid).getByText('Relay connected')).toBeInTheDocument();
    expect(within(prepaid).getByText('Credit').nextSibling).toHaveTextContent('61 kWh');
    expect(within(prepaid).getByText('Meter reading').nextSibling).toHaveTextContent('10,422.5 kWh');
    expect(within(prepaid).getByRole('link', { name: 'Consumption and history' })).toHaveAttribute(
      'href',
      `/my-meters/${MINE}`,
    );

    const postpaid = screen.getByRole('article', { name: `Meter ${MINE_TOO}` });
    expect(within(postpaid).getByText('Offline')).toBeInTheDocument();
    expect(within(postpaid).getByText('Relay state unknown')).toBeInTheDocument();
    expect(within(postpaid).queryByText('Credit')).not.toBeInTheDocument(); // its profile has no credit register
    expect(within(postpaid).getByText('Meter reading').nextSibling).toHaveTextContent('—');
  });

  it('says a prepaid meter has not reported its credit yet', async () => {
    fetchFake.on('GET', '/my/meters', () => json(myMeters([myMeter(MINE, { credit: null })])));
    renderPage();

    const card = await screen.findByRole('article', { name: `Meter ${MINE}` });
    expect(within(card).getByText('Credit').nextSibling).toHaveTextContent('Not reported yet');
  });

  it('says so when no meter is assigned yet', async () => {
    fetchFake.on('GET', '/my/meters', () => json(myMeters([])));
    renderPage();

    expect(await screen.findByText('No meter is assigned to you yet.')).toBeInTheDocument();
    expect(screen.queryByRole('article')).not.toBeInTheDocument();
  });
});
