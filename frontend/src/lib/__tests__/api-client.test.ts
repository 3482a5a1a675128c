import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, onSessionExpired } from '@/lib/api-client';
import { tokenStorage } from '@/lib/token-storage';
import { apiError, fetchFake, json } from '@/testing/fetch-fake';
import { tokenResponse, userInfo } from '@/testing/fixtures';

const signedIn = () => tokenStorage.save({ access_token: 'access-1', refresh_token: 'refresh-1' });

/** /health answers 401 to a stale token and 200 to a renewed one. */
const protectedHealth = () =>
  fetchFake.on('GET', '/health', (request) =>
    request.headers.get('Authorization') === 'Bearer access-2'
      ? json({ status: 'ok' })
      : apiError(401, 'unauthorized', 'token expired'),
  );

describe('api client', () => {
  let stopListening = () => undefined as void;
  afterEach(() => stopListening());

  it('sends the access token as a bearer token', async () => {
    signedIn();
    fetchFake.on('GET', '/auth/me', () => json(userInfo('admin')));

    await api.get('/auth/me');

    expect(fetchFake.calls[0]?.headers.get('Authorization')).toBe('Bearer access-1');
  });

  it('refreshes once on 401 and retries with the new token', async () => {
    signedIn();
    protectedHealth();
    fetchFake.on('POST', '/auth/refresh', () => json(tokenResponse(userInfo('admin'), 2)));

    await expect(api.get('/health')).resolves.toEqual({ status: 'ok' });

    expect(fetchFake.callsTo('POST', '/auth/refresh').map((call) => call.body)).toEqual([{ refresh_token: 'refresh-1' }]);
    expect(fetchFake.callsTo('GET', '/health')).toHaveLength(2);
    expect(tokenStorage.access()).toBe('access-2');
    expect(tokenStorage.refresh()).toBe('refresh-2');
  });

  it('shares one refresh between requests that fail together', async () => {
    signedIn();
    protectedHealth();
    fetchFake.on('POST', '/auth/refresh', () => json(tokenResponse(userInfo('admin'), 2)));

    await Promise.all([api.get('/health'), api.get('/health'), api.get('/health')]);

    expect(fetchFake.callsTo('POST', '/auth/refresh')).toHaveLength(1);
  });

  it('ends the session when the refresh token is refused', async () => {
    signedIn();
    const expired = vi.fn();
    stopListening = onSessionExpired(expired);
    protectedHealth();
    fetchFake.on('POST', '/auth/refresh', () => apiError(401, 'unauthorized', 'refresh token revoked'));

    await expect(api.get('/health')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });

    expect(expired).toHaveBeenCalledOnce();
    expect(tokenStorage.access()).toBeNull();
    expect(tokenStorage.refresh()).toBeNull();
  });

  it('does not try to refresh when login itself answers 401', async () => {
    fetchFake.on('POST', '/auth/login', () => apiError(401, 'unauthorized', 'bad credentials'));

    await expect(
      api.post('/auth/login', { json: { username: 'a', password: 'b' }, authenticated: false }),
    ).rejects.toBeInstanceOf(ApiError);

    expect(fetchFake.callsTo('POST', '/auth/refresh')).toHaveLength(0);
  });

  it('turns the error envelope into an ApiError with code, message and details', async () => {
    signedIn();
    const details = [{ row: 7, field: 'IP Address', message: 'not an IPv4 or IPv6 address' }];
    fetchFake.on('POST', '/sims/import', () => apiError(422, 'validation_failed', '1 row is invalid', details));

    const error: unknown = await api.post('/sims/import', { body: 'csv', contentType: 'text/csv' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, code: 'validation_failed', message: '1 row is invalid', details });
  });

  it('gives a readable error when the answer is not the envelope', async () => {
    signedIn();
    fetchFake.on('GET', '/health', () => new Response('Bad gateway', { status: 502, statusText: 'Bad Gateway' }));

    await expect(api.get('/health')).rejects.toMatchObject({ status: 502, code: 'server_error', message: 'Bad Gateway' });
  });
});
