// Browser test in Debian's Chromium: the foundation journey of an admin.
// Run by tests/e2e/test_browser.py against a running `make run` stack (HES_URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.HES_URL ?? 'http://127.0.0.1:8080';
const SAMPLES = process.env.HES_FIXTURES ?? join(import.meta.dirname, '..', '..', 'tests', 'fixtures');
const SHOTS = process.env.HES_SCREENSHOTS;
const AREAS = ['Industrial Park', 'Downtown', 'North Suburbs', 'Lekki Phase 1', 'Ikeja GRA'];

let browser;
let page;

before(async () => {
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

test('an admin logs in, creates areas, imports meters.csv, filters by area and logs out', async () => {
  await page.goto(BASE + '/');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('admin-change-me');
  await page.getByRole('button', { name: 'Log in' }).click();

  // first login with the local default password: a new one is required
  await page.getByLabel('Current password').fill('admin-change-me');
  await page.getByLabel('New password').fill('grid-operator-2026');
  await page.getByLabel('Confirm password').fill('grid-operator-2026');
  await page.getByRole('button', { name: 'Change password' }).click();

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Areas' }).click();
  for (const name of AREAS) {
    await page.getByRole('button', { name: 'Add area' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add area' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name, exact: true }).waitFor();
  }
  await shot('areas');

  await nav.getByRole('link', { name: 'Meters' }).click();
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import meters from CSV' });
  await dialog.getByLabel('CSV file').setInputFiles(join(SAMPLES, 'meters.csv'));
  const commit = dialog.getByRole('button', { name: 'Import 60 meters' });
  await commit.waitFor();
  await shot('import-dry-run');
  await commit.click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByText('Imported 60 meters.').waitFor();

  await page.getByText('of 60', { exact: false }).waitFor();
  const table = page.getByRole('table', { name: 'Meters' });
  await table.getByRole('cell', { name: '04312000000', exact: true }).waitFor();
  await shot('meters');

  await page.getByRole('combobox', { name: 'Area filter' }).selectOption({ label: 'Downtown' });
  await page.getByText('of 12', { exact: false }).waitFor();
  const areaCells = await table.getByRole('cell', { name: 'Downtown', exact: true }).count();
  assert.equal(areaCells, 12);
  await shot('meters-downtown');

  // the filter persists across a reload
  await page.reload();
  await page.getByText('of 12', { exact: false }).waitFor();
  assert.equal(await page.getByRole('combobox', { name: 'Area filter' }).inputValue() !== '', true);

  await page.getByRole('button', { name: 'Log out' }).first().click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  await page.goto(BASE + '/meters');
  await page.getByRole('button', { name: 'Log in' }).waitFor();
});
