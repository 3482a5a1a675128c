import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RemoteControl } from '@/features/meter-ops/components/remote-control';
import { apiError, fetchFake, json } from '@/testing/fetch-fake';
import { itemResult, job, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';
import { fakeJobPolls, fakeMeter, METER } from '@/features/meter-ops/components/__tests__/meter-fakes';

function renderPage(role: 'operator' | 'viewer' = 'operator') {
  return renderWithApp(<RemoteControl />, { user: userInfo(role), route: `/remote-control?meter=${METER}` });
}

const relayItems = (connected: boolean) => [
  itemResult('0.0.96.3.10.255', { op: 'action', class_id: 70, index: connected ? 2 : 1, name: 'Remote disconnect' }),
  itemResult('0.0.96.3.10.255', { class_id: 70, index: 2, name: 'Relay output state', value: connected }),
  itemResult('0.0.96.3.10.255', { class_id: 70, index: 3, name: 'Relay control state', value: connected ? 1 : 0 }),
];

describe('Remote control', () => {
  it('shows the relay state, and disconnects only after confirmation, reading the state back', async () => {
    fakeMeter({ relay_state: 'connected' });
    fetchFake.on('POST', `/meters/${METER}/relay`, () => json({ id: 'j-9', status: 'running' }, 202));
    fakeJobPolls('j-9', job('j-9', { [METER]: null }), job('j-9', { [METER]: relayItems(false) }));
    const { user } = renderPage();
    const relay = await screen.findByRole('region', { name: 'Relay' });
    expect(await within(relay).findByText('Relay connected')).toBeInTheDocument();

    await user.click(within(relay).getByRole('button', { name: 'Disconnect' }));
    const dialog = await screen.findByRole('dialog', { name: `Disconnect meter ${METER}?` });
    expect(fetchFake.callsTo('POST', `/meters/${METER}/relay`)).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));

    expect(await within(relay).findByText(`Disconnecting meter ${METER}…`)).toBeInTheDocument();
    expect(within(relay).getByRole('button', { name: 'Reconnect' })).toBeDisabled();
    expect(await within(relay).findByText('Disconnect done', {}, { timeout: 4000 })).toBeInTheDocument();
    expect(within(relay).getByText('Relay disconnected')).toBeInTheDocument();
    expect(relay).toHaveTextContent('Relay output state: Disconnected');
    expect(fetchFake.callsTo('POST', `/meters/${METER}/relay`)[0]?.body).toEqual({ action: 'disconnect' });
  });

  it('says when the relay state is not known yet, and reconnects with its own confirmation', async () => {
    fakeMeter();
    fetchFake.on('POST', `/meters/${METER}/relay`, () => json({ id: 'j-8', status: 'running' }, 202));
    fakeJobPolls('j-8', job('j-8', { [METER]: relayItems(true) }));
    const { user } = renderPage();
    const relay = await screen.findByRole('region', { name: 'Relay' });
    expect(await within(relay).findByText('Relay state unknown')).toBeInTheDocument();

    await user.click(within(relay).getByRole('button', { name: 'Reconnect' }));
    await user.click(
      within(await screen.findByRole('dialog', { name: `Reconnect meter ${METER}?` })).getByRole('button', {
        name: 'Confirm',
      }),
    );

    expect(await within(relay).findByText('Relay connected')).toBeInTheDocument();
    expect(fetchFake.callsTo('POST', `/meters/${METER}/relay`)[0]?.body).toEqual({ action: 'reconnect' });
  });

  it('keeps the dialog open with the reason when the command is refused', async () => {
    fakeMeter();
    fetchFake.on('POST', `/meters/${METER}/relay`, () =>
      apiError(422, 'validation_failed', `meter ${METER}: 0.0.96.3.10.255 method 1 is not in the meter's device profile`),
    );
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Disconnect' }));
    const dialog = await screen.findByRole('dialog', { name: `Disconnect meter ${METER}?` });
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));

    expect(await within(dialog).findByText(/is not in the meter's device profile/)).toBeInTheDocument();
  });

  it('shows a viewer the relay state without the buttons', async () => {
    fakeMeter({ relay_state: 'disconnected' });
    renderPage('viewer');

    const relay = await screen.findByRole('region', { name: 'Relay' });
    expect(await within(relay).findByText('Relay disconnected')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Disconnect' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reconnect' })).not.toBeInTheDocument();
  });
});
