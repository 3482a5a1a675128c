import { z } from 'zod';
import { env } from '@/config/env';
import type { components } from '@/lib/api/schema';
import { tokenStorage } from '@/lib/token-storage';

const errorDetailSchema = z.object({
  row: z.number().nullish(),
  field: z.string().nullish(),
  message: z.string(),
});
const errorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(errorDetailSchema).nullish(),
  }),
});

export type ErrorDetail = z.infer<typeof errorDetailSchema>;

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'validation_failed',
  429: 'locked',
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: QueryParams;
  json?: unknown;
  body?: BodyInit;
  contentType?: string;
  signal?: AbortSignal;
  /** False for login and refresh: a 401 there answers the credentials, it is not an expired session. */
  authenticated?: boolean;
}

type TokenResponse = components['schemas']['TokenResponse'];

const noop = () => undefined;
let sessionExpired: () => void = noop;

/**
 * Called once the refresh token is refused: the tokens are already gone, the app should show the
 * login page. Returns the function that removes the handler.
 */
export function onSessionExpired(handler: () => void) {
  sessionExpired = handler;
  return () => {
    if (sessionExpired === handler) sessionExpired = noop;
  };
}

function buildUrl(path: string, query: QueryParams = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${env.API_URL}${path}${search ? `?${search}` : ''}`;
}

async function send(path: string, options: RequestOptions, token: string | null) {
  const headers = new Headers();
  if (token && options.authenticated !== false) headers.set('Authorization', `Bearer ${token}`);
  let body = options.body;
  if (options.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(options.json);
  } else if (options.contentType) {
    headers.set('Content-Type', options.contentType);
  }
  try {
    return await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body,
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }
}

async function refreshSession() {
  const refreshToken = tokenStorage.refresh();
  if (!refreshToken) return false;
  const response = await send(
    '/auth/refresh',
    { method: 'POST', json: { refresh_token: refreshToken }, authenticated: false },
    null,
  );
  if (!response.ok) return false;
  tokenStorage.save((await response.json()) as TokenResponse);
  return true;
}

let refreshInFlight: Promise<boolean> | null = null;

/** Concurrent 401s share one refresh: the refresh token is rotated, so a second call would be refused. */
function refreshOnce() {
  refreshInFlight ??= refreshSession().finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

async function toApiError(response: Response) {
  const payload: unknown = await response.json().catch(() => null);
  const parsed = errorEnvelopeSchema.safeParse(payload);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(response.status, code, message, details ?? []);
  }
  return new ApiError(
    response.status,
    CODE_BY_STATUS[response.status] ?? 'server_error',
    response.statusText || `Request failed with status ${response.status}`,
  );
}

export async function request(path: string, options: RequestOptions = {}) {
  const token = tokenStorage.access();
  let response = await send(path, options, token);
  if (response.status === 401 && options.authenticated !== false) {
    const renewedElsewhere = tokenStorage.access() !== token && tokenStorage.access() !== null;
    if (renewedElsewhere || (await refreshOnce())) {
      response = await send(path, options, tokenStorage.access());
    } else {
      tokenStorage.clear();
      sessionExpired();
    }
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

async function parseJson<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

function filenameFrom(disposition: string | null) {
  const match = disposition && /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

type Options = Omit<RequestOptions, 'method'>;

export const api = {
  get: <T>(path: string, options?: Options) => request(path, options).then((r) => parseJson<T>(r)),
  post: <T>(path: string, options?: Options) =>
    request(path, { ...options, method: 'POST' }).then((r) => parseJson<T>(r)),
  put: <T>(path: string, options?: Options) =>
    request(path, { ...options, method: 'PUT' }).then((r) => parseJson<T>(r)),
  patch: <T>(path: string, options?: Options) =>
    request(path, { ...options, method: 'PATCH' }).then((r) => parseJson<T>(r)),
  delete: (path: string, options?: Options) =>
    request(path, { ...options, method: 'DELETE' }).then((r) => parseJson<void>(r)),
  /** Authenticated file download: a plain link could not carry the bearer token. */
  download: async (path: string, query?: QueryParams) => {
    const response = await request(path, { query });
    return { blob: await response.blob(), filename: filenameFrom(response.headers.get('Content-Disposition')) };
  },
};
