import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { SettingsPage } from '@/features/settings/components/settings-form';
import { apiError, fetchFake, json } from '@/testing/fetch-fake';
import { userInfo } from '@/testing/fixtures';
import { renderWithApp } from '@/testing/render';

const settings = { listener_host: 'hes.example.com', listener_port: 4059, online_window_s: 300, push_interval_s: 900 };

async function openSettings() {
  const view = renderWithApp(<SettingsPage />, { user: userInfo('admin') });
  await screen.findByRole('button', { name: 'Save settings' });
  return view;
}

const input = (label: string) => screen.getByRole('textbox', { name: new RegExp(`^${label.replace(/[()]/g, '\\$&')}`) });

async function replace(user: Awaited<ReturnType<typeof openSettings>>['user'], label: string, value: string) {
  await user.clear(input(label));
  await user.type(input(label), value);
}

describe('SettingsPage', () => {
  beforeEach(() => {
    fetchFake.on('GET', '/settings', () => json(settings));
  });

  it('shows the address meters must dial, ready to copy, and the current values', async () => {
    await openSettings();

    expect(screen.getByLabelText('Listener address')).toHaveTextContent('hes.example.com:4059');
    expect(screen.getByRole('button', { name: 'Copy listener address' })).toBeInTheDocument();
    expect(screen.getByText(/must be configured to open its TCP connection to this address/)).toBeInTheDocument();
    expect(input('Listener host')).toHaveValue('hes.example.com');
    expect(input('Listener port')).toHaveValue('4059');
    expect(input('Online window (s)')).toHaveValue('300');
    expect(input('Push interval (s)')).toHaveValue('900');
  });

  it('checks the values before sending them', async () => {
    const { user } = await openSettings();

    await replace(user, 'Listener host', 'meters gateway');
    await replace(user, 'Listener port', '70000');
    await replace(user, 'Online window (s)', '10');
    await replace(user, 'Push interval (s)', '5');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    expect(screen.getByText('Enter an IP address or a DNS name, e.g. 203.0.113.10 or hes.example.com')).toBeInTheDocument();
    expect(screen.getByText('Listener port must be between 1 and 65535')).toBeInTheDocument();
    expect(screen.getByText('Online window must be between 30 and 86400 s')).toBeInTheDocument();
    expect(screen.getByText('Push interval must be between 10 and 86400 s')).toBeInTheDocument();
    expect(fetchFake.callsTo('PUT', '/settings')).toHaveLength(0);
  });

  it('saves every setting and shows the new address', async () => {
    const saved = { listener_host: '203.0.113.10', listener_port: 5000, online_window_s: 600, push_interval_s: 900 };
    fetchFake.on('PUT', '/settings', () => json(saved));
    const { user } = await openSettings();
    fetchFake.on('GET', '/settings', () => json(saved));

    await replace(user, 'Listener host', '203.0.113.10');
    await replace(user, 'Listener port', '5000');
    await replace(user, 'Online window (s)', '600');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    expect(await screen.findByText('Settings saved.')).toBeInTheDocument();
    expect(fetchFake.callsTo('PUT', '/settings')[0]?.body).toEqual(saved);
    expect(await screen.findByText('203.0.113.10:5000')).toBeInTheDocument();
  });

  it('puts the API’s field errors beside the fields (422)', async () => {
    fetchFake.on('PUT', '/settings', () =>
      apiError(422, 'validation_failed', 'listener_port: port 4059 is taken', [
        { field: 'listener_port', message: 'port 4059 is taken' },
      ]),
    );
    const { user } = await openSettings();

    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    await waitFor(() => expect(input('Listener port')).toHaveAccessibleDescription(/port 4059 is taken/));
    expect(input('Listener port')).toHaveAttribute('aria-invalid', 'true');
    expect(input('Listener host')).toHaveAttribute('aria-invalid', 'false');
  });
});
