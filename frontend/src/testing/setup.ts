import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { fetchFake } from '@/testing/fetch-fake';

// Browser APIs Mantine uses that jsdom lacks.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});
window.ResizeObserver = class {
  observe() {}
  unobserve() {}
  disconnect() {}
};
Element.prototype.scrollIntoView = () => undefined;

beforeEach(() => {
  localStorage.clear();
  vi.stubGlobal('fetch', fetchFake.fetch);
});

afterEach(() => {
  cleanup();
  const unhandled = fetchFake.unhandled.map((call) => `${call.method} ${call.path}`);
  fetchFake.reset();
  expect(unhandled, 'requests without a fake answer').toEqual([]);
});
