// Browser test in Debian's Chromium: an admin operates a live (simulated) meter.
// Needs a stack started WITH the demo fleet (HES_DEMO=true), e.g. by tests/e2e/test_browser.py,
// and the admin password it was started with (HES_ADMIN_PASSWORD).
import { test, before, after } from 'node:test';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.HES_URL ?? 'http://127.0.0.1:8080';
const SHOTS = process.env.HES_SCREENSHOTS;
const PASSWORD = process.env.HES_ADMIN_PASSWORD;
const DEMO = process.env.HES_DEMO === 'true';
const METER = '04312000000';

const skip = !DEMO
  ? 'needs a stack with the demo fleet: set HES_DEMO=true (and HES_ADMIN_PASSWORD) to run it'
  : !PASSWORD
    ? 'needs the admin password the stack was started with in HES_ADMIN_PASSWORD'
    : false;

let browser;
let page;

before(async () => {
  if (skip) return;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.setDefaultTimeout(20_000);
});

after(async () => {
  await browser?.close();
});

async function shot(name) {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** On the page `title`, search the meter, choose it and wait until it is online (the fleet dials in). */
async function chooseMeter(title) {
  await page.getByRole('heading', { name: title, exact: true }).waitFor();
  await page.getByLabel('Meter number').fill(METER);
  await page.getByRole('list', { name: 'Meters found' }).getByRole('button', { name: new RegExp(METER) }).click();
  const details = page.getByRole('region', { name: `Meter ${METER}` });
  await details.getByText('Online', { exact: true }).waitFor({ timeout: 90_000 });
}

test('an operator switches a live meter\'s relay and reads its instantaneous values', { skip }, async () => {
  await page.goto(BASE + '/');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Remote control' }).click();
  await chooseMeter('Remote control');

  const relay = page.getByRole('region', { name: 'Relay' });
  await relay.getByRole('button', { name: 'Disconnect', exact: true }).click();
  let dialog = page.getByRole('dialog', { name: `Disconnect meter ${METER}?` });
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await relay.getByText('Relay disconnected', { exact: true }).waitFor({ timeout: 60_000 });
  await relay.getByText('Disconnect done').waitFor();
  await shot('remote-control-disconnected');

  await relay.getByRole('button', { name: 'Reconnect', exact: true }).click();
  dialog = page.getByRole('dialog', { name: `Reconnect meter ${METER}?` });
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await relay.getByText('Relay connected', { exact: true }).waitFor({ timeout: 60_000 });
  await shot('remote-control-connected');

  await nav.getByRole('link', { name: 'Meter reading' }).click();
  await chooseMeter('Meter reading');
  const group = page.getByRole('group', { name: 'Instantaneous' });
  await group.getByRole('button', { name: 'Read group' }).click();
  const voltage = group.getByRole('row', { name: /Voltage/ });
  await voltage.getByText(/^\d[\d,]*(\.\d+)? V$/).waitFor({ timeout: 60_000 });
  await shot('meter-reading');
});
