// What every browser journey shares: Debian's Chromium with one page, screenshots, logging in, and
// calls to the API. The journeys are node:test files run by tests/e2e/*.py against a `make run` stack.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BASE = process.env.HES_URL ?? 'http://127.0.0.1:8080';
const SHOTS = process.env.HES_SCREENSHOTS;

/** Headless Chromium (the flags CI needs) and one page waiting up to 20 s for what it is asked to find. */
export async function openBrowser(pageOptions = { viewport: { width: 1366, height: 900 } }) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage(pageOptions);
  page.setDefaultTimeout(20_000);
  return { browser, page };
}

/** A full-page screenshot into HES_SCREENSHOTS, when it is set. */
export async function screenshot(page, name) {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

export async function logIn(page, username, password) {
  await page.goto(BASE + '/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** A JSON call to the API that must succeed; answers the parsed body (null when empty). */
export async function api(method, path, token, body) {
  const res = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path} -> ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The first login's forced password change. */
export async function changePassword(page, current, next) {
  await page.getByLabel('Current password').fill(current);
  await page.getByLabel('New password').fill(next);
  await page.getByLabel('Confirm password').fill(next);
  await page.getByRole('button', { name: 'Change password' }).click();
}
