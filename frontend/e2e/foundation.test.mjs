// Browser test in Debian's Chromium: the foundation journey of an admin.
// Run by tests/e2e/test_browser.py against a running `make run` stack (HES_URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, changePassword, logIn, openBrowser, screenshot } from './harness.mjs';

const SAMPLES = process.env.HES_FIXTURES ?? join(import.meta.dirname, '..', '..', 'tests', 'fixtures');
const AREAS = ['Industrial Park', 'Downtown', 'North Suburbs', 'Lekki Phase 1', 'Ikeja GRA'];

let browser;
let page;

before(async () => {
  ({ browser, page } = await openBrowser());
});

after(async () => {
  await browser?.close();
});

const shot = (name) => screenshot(page, name);

test('an admin logs in, creates areas, imports meters.csv, filters by area and logs out', async () => {
  await logIn(page, 'admin', 'admin-change-me');

  // first login with the local default password: a new one is required
  await changePassword(page, 'admin-change-me', 'grid-operator-2026');

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
