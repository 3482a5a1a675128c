// Browser test in Debian's Chromium on a phone-sized screen (390 × 844): a customer's own view.
// Run by tests/e2e/test_customer_browser.py against a `make run` stack with two customers' meters and
// readings (HES_URL, HES_CUSTOMER, HES_CUSTOMER_PASSWORD, HES_METER, HES_OTHER_METER).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BASE, changePassword, openBrowser, screenshot } from './harness.mjs';

const { HES_CUSTOMER: USERNAME, HES_CUSTOMER_PASSWORD: PASSWORD, HES_METER: METER, HES_OTHER_METER: OTHER } = process.env;
const PHONE = { width: 390, height: 844 };

let browser;
let page;

before(async () => {
  ({ browser, page } = await openBrowser({ viewport: PHONE, deviceScaleFactor: 2, hasTouch: true, isMobile: true }));
});

after(async () => {
  await browser?.close();
});

const shot = (name) => screenshot(page, name);

/** Nothing sticks out sideways: the page never scrolls horizontally on the phone. */
async function fitsThePhone(what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the phone`);
}

test('a customer on a phone sees its own meter, its consumption and downloads, and nothing of anyone else', async () => {
  assert.ok(USERNAME && PASSWORD && METER && OTHER, 'the stack fixture passes the customer and the meters');
  await page.goto(BASE + '/dashboard');
  await page.getByLabel('Username').fill(USERNAME);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  // a login an admin created: a new password first
  await changePassword(page, PASSWORD, 'my-own-meter-2026');

  // the start page, whatever was asked for: the customer's meters
  await page.getByRole('heading', { name: 'My meters' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/my-meters');
  const card = page.getByRole('article', { name: `Meter ${METER}` });
  await card.getByText('Meter reading').waitFor();
  await card.getByText(/kWh$/).first().waitFor();
  assert.equal(await page.getByRole('article').count(), 1);
  assert.ok(!(await page.content()).includes(OTHER), "the other customer's meter is nowhere on the page");
  await fitsThePhone('My meters');
  await shot('customer-my-meters');

  // the menu behind the burger offers nothing but the customer's own page
  await page.getByRole('button', { name: 'Toggle navigation' }).click();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'My meters' }).waitFor();
  assert.deepEqual(await nav.getByRole('link').allTextContents(), ['My meters']);
  await shot('customer-menu');
  await nav.getByRole('link', { name: 'My meters' }).click();

  await card.getByRole('link', { name: 'Consumption and history' }).click();
  await page.getByRole('heading', { name: `Meter ${METER}` }).waitFor();
  const periods = page.getByRole('table', { name: 'Energy per period' });
  await periods.getByRole('row').nth(3).waitFor();
  await page.locator('.recharts-bar-rectangle').first().waitFor();
  await page.getByText(/kWh used/).waitFor();
  await fitsThePhone('the daily consumption');
  await shot('customer-meter-daily');

  await page.getByText('Hourly', { exact: true }).click(); // the segmented control's label (its radio is hidden)
  await periods.getByRole('cell', { name: /^\d{4}-\d{2}-\d{2} 00$/ }).waitFor();
  await page.locator('.recharts-bar-rectangle').first().waitFor();
  await fitsThePhone('the hourly consumption');
  await shot('customer-meter-hourly');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  assert.match(lines[0], /^Meter Number,/);
  assert.ok(lines.length > 1 && lines.slice(1).every((line) => line.startsWith(`${METER},`)), csv.slice(0, 400));
  assert.ok(!csv.includes(OTHER));
  const [pdf] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download PDF' }).click(),
  ]);
  assert.equal((await readFile(await pdf.path())).subarray(0, 4).toString(), '%PDF');

  await page.getByRole('region', { name: 'Token history' }).getByText('No token has been loaded yet.').waitFor();
  await page.getByRole('region', { name: 'Recent events' }).waitFor();
  await fitsThePhone('the whole meter page');
  await shot('customer-meter-history');

  // another customer's meter, asked for by its address, does not exist for this customer
  await page.goto(`${BASE}/my-meters/${OTHER}`);
  await page.getByRole('main').getByText(`meter '${OTHER}' does not exist`).waitFor();
  // and a staff page sends the customer back to its own
  await page.goto(`${BASE}/consumption`);
  await page.getByRole('heading', { name: 'My meters' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/my-meters');
});
