// Browser test in Debian's Chromium: an admin operates a live (simulated) meter.
// Needs a stack started WITH the demo fleet (HES_DEMO=true), e.g. by tests/e2e/test_browser.py,
// and the admin password it was started with (HES_ADMIN_PASSWORD).
import { test, before, after } from 'node:test';
import { logIn, openBrowser, screenshot } from './harness.mjs';

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
  ({ browser, page } = await openBrowser());
});

after(async () => {
  await browser?.close();
});

const shot = (name) => screenshot(page, name);

/** On the page `title`, search the meter, choose it and wait until it is online (the fleet dials in). */
async function chooseMeter(title) {
  await page.getByRole('heading', { name: title, exact: true }).waitFor();
  await page.getByLabel('Meter number').fill(METER);
  await page.getByRole('list', { name: 'Meters found' }).getByRole('button', { name: new RegExp(METER) }).click();
  const details = page.getByRole('region', { name: `Meter ${METER}` });
  await details.getByText('Online', { exact: true }).waitFor({ timeout: 90_000 });
}

test('an operator switches a live meter\'s relay and reads its instantaneous values', { skip }, async () => {
  await logIn(page, 'admin', PASSWORD);

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
