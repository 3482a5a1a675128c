import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { fetchFake } from '@/testing/fetch-fake';

// findBy* / waitFor give up after 1 s by default; a lazy page's first load on a busy 2-core CI machine can take
// longer, and a wrong page still fails, only later.
configure({ asyncUtilTimeout: 5000 });

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

// recharts sizes a chart by measuring its container, and jsdom lays nothing out: give charts a size
// so that they draw their bars and lines (and say nothing about a zero size).
const measure = Object.getOwnPropertyDescriptor(Element.prototype, 'getBoundingClientRect')?.value as (this: Element) => DOMRect;
Element.prototype.getBoundingClientRect = function getBoundingClientRect(this: Element) {
  if (!this.classList.contains('recharts-responsive-container')) return measure.call(this);
  return { x: 0, y: 0, top: 0, left: 0, right: 800, bottom: 300, width: 800, height: 300, toJSON: () => ({}) };
};

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
