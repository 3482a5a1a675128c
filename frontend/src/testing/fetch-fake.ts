import { env } from '@/config/env';

/** A request as the fake server saw it; a JSON body is parsed. */
interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

type Handler = (request: FakeRequest) => Response | Promise<Response>;

interface Route {
  method: string;
  path: string;
  handler: Handler;
}

function parseBody(init: RequestInit, headers: Headers): unknown {
  if (typeof init.body === 'string' && headers.get('Content-Type')?.includes('json')) return JSON.parse(init.body);
  return init.body;
}

/** A stand-in for the backend at the network boundary: answers `fetch` calls by method and path. */
function createFetchFake() {
  let routes: Route[] = [];
  const calls: FakeRequest[] = [];
  const unhandled: FakeRequest[] = [];

  const fetch = (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input), 'http://localhost');
    const headers = new Headers(init.headers);
    const request: FakeRequest = {
      method: init.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: parseBody(init, headers),
    };
    calls.push(request);
    // The latest answer for a route wins, so a test can override a default.
    const route = routes.findLast((item) => item.method === request.method && item.path === request.path);
    if (!route) {
      unhandled.push(request);
      return Promise.resolve(new Response(null, { status: 501 }));
    }
    return Promise.resolve(route.handler(request));
  };

  return {
    fetch,
    calls,
    unhandled,
    /** `path` is relative to the API base, e.g. '/meters'. */
    on(method: string, path: string, handler: Handler) {
      routes.push({ method, path: `${env.API_URL}${path}`, handler });
    },
    callsTo(method: string, path: string) {
      return calls.filter((call) => call.method === method && call.path === `${env.API_URL}${path}`);
    },
    reset() {
      routes = [];
      calls.length = 0;
      unhandled.length = 0;
    },
  };
}

export const fetchFake = createFetchFake();

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

export const apiError = (status: number, code: string, message: string, details?: unknown[]) =>
  json({ error: { code, message, details } }, status);

export const page = <T>(items: T[], total = items.length) => json({ items, total, page: 1, page_size: 25 });
