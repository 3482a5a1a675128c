import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { MeterSetting } from '@/features/meter-ops/components/meter-setting';
import { fetchFake, json } from '@/testing/fetch-fake';
import { itemResult, job, userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';
import { fakeJobPolls, fakeMeter, METER } from '@/features/meter-ops/components/__tests__/meter-fakes';

function renderPage(role: 'operator' | 'viewer' = 'operator') {
  return renderWithApp(<MeterSetting />, { user: userInfo(role), route: `/meter-setting?meter=${METER}` });
}

const posted = () => fetchFake.callsTo('POST', '/jobs').map((call) => call.body);

describe('Meter setting', () => {
  beforeEach(() => {
    fakeMeter();
    fetchFake.on('POST', '/jobs', () => json({ id: 'j-1', status: 'running' }, 202));
  });

  it('offers the writable parameters and the methods, not what can only be read', async () => {
    renderPage();

    expect(await screen.findByRole('group', { name: 'Clock' })).toHaveTextContent('Meter clock');
    expect(screen.getByRole('group', { name: 'Demand' })).toHaveTextContent('Demand period');
    expect(screen.getByRole('group', { name: 'Nameplate' })).toHaveTextContent('Logical device name');
    expect(screen.getByRole('group', { name: 'Relay' })).toHaveTextContent('Remote disconnect');
    expect(screen.queryByText('Voltage L1')).not.toBeInTheDocument();
    expect(screen.queryByText('Relay output state')).not.toBeInTheDocument();
  });

  it('checks a number against its data type and scaler, and sends the raw value', async () => {
    fakeJobPolls('j-1', job('j-1', { [METER]: [itemResult('1.0.0.8.0.255', { op: 'set' })] }));
    const { user } = renderPage();
    const input = await screen.findByRole('textbox', { name: 'Demand period value' });
    const write = screen.getByRole('button', { name: 'Write Demand period' });

    await user.click(write);
    expect(screen.getByText('Enter a value')).toBeInTheDocument();

    await user.type(input, 'fifteen');
    await user.click(write);
    expect(screen.getByText('Enter a number')).toBeInTheDocument();

    await user.clear(input);
    await user.type(input, '15.2');
    await user.click(write);
    expect(screen.getByText('Enter a multiple of 0.5')).toBeInTheDocument();

    await user.clear(input);
    await user.type(input, '40000');
    await user.click(write);
    expect(screen.getByText('Enter a value between 0 and 32,767.5 min')).toBeInTheDocument();
    expect(posted()).toEqual([]);

    await user.clear(input);
    await user.type(input, '15');
    await user.click(write);

    const demand = screen.getByRole('group', { name: 'Demand' });
    expect(await within(demand).findByText('Written')).toBeInTheDocument();
    expect(posted()).toEqual([
      { kind: 'write', meters: [METER], items: [{ obis: '1.0.0.8.0.255', class_id: 3, index: 2, value: 30 }] },
    ]);
  });

  it('asks for an ISO date-time with its offset, and for plain text', async () => {
    fakeJobPolls('j-1', job('j-1', { [METER]: [itemResult('0.0.1.0.0.255', { op: 'set', class_id: 8 })] }));
    const { user } = renderPage();
    const clock = await screen.findByRole('textbox', { name: 'Meter clock value' });

    await user.type(clock, '26/11/2026 10:00');
    await user.click(screen.getByRole('button', { name: 'Write Meter clock' }));
    expect(screen.getByText(/^Enter a date and time like/)).toBeInTheDocument();

    await user.type(screen.getByRole('textbox', { name: 'Logical device name value' }), 'Zähler');
    await user.click(screen.getByRole('button', { name: 'Write Logical device name' }));
    expect(screen.getByText('Use plain ASCII characters only')).toBeInTheDocument();
    expect(posted()).toEqual([]);

    await user.clear(clock);
    await user.type(clock, '2026-11-26T10:00:00+01:00');
    await user.click(screen.getByRole('button', { name: 'Write Meter clock' }));

    await expect.poll(posted).toEqual([
      {
        kind: 'write',
        meters: [METER],
        items: [{ obis: '0.0.1.0.0.255', class_id: 8, index: 2, value: '2026-11-26T10:00:00+01:00' }],
      },
    ]);
  });

  it('executes a method only after confirmation, and shows why the meter refused it', async () => {
    fakeJobPolls(
      'j-1',
      job('j-1', {
        [METER]: [
          itemResult('0.0.96.3.10.255', { op: 'action', class_id: 70, index: 1, ok: false, reason: 'read/write denied' }),
        ],
      }),
    );
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Execute Remote disconnect' }));
    const dialog = await screen.findByRole('dialog', { name: 'Execute Remote disconnect?' });
    expect(dialog).toHaveTextContent(`on meter ${METER}`);
    expect(posted()).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));

    const relay = screen.getByRole('group', { name: 'Relay' });
    expect(await within(relay).findByText('read/write denied')).toBeInTheDocument();
    expect(posted()).toEqual([
      { kind: 'action', meters: [METER], items: [{ obis: '0.0.96.3.10.255', class_id: 70, index: 1 }] },
    ]);
  });

  it('shows a viewer what can be set, without inputs or buttons', async () => {
    renderPage('viewer');

    expect(await screen.findByRole('group', { name: 'Clock' })).toHaveTextContent('Meter clock');
    expect(screen.queryByRole('textbox', { name: /value$/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^(Write|Execute) / })).not.toBeInTheDocument();
  });
});
