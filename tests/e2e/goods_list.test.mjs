// 受注一覧（物販） and 受注詳細 as a shop manager sees them (issue 22): on a 1280×800 screen the
// orders show without scrolling and the header checkbox selects every row of the page, the bulk
// bar staying in view; on a 375 px phone the order page (two destinations, phones, the receipt
// with tax by rate, the history) fits the width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, VIEWPORTS, launch, login, shot, consoleErrors } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('desktop: the goods list shows orders on the first screen and select-all picks every row of the page', async () => {
  const page = await (await browser.newContext(VIEWPORTS.desktop)).newPage();
  const errors = consoleErrors(page);
  await login(page, 'demo1-admin', 'Demo1Admin');
  await page.goto(`${BASE}/shipping/orders`);
  const rows = page.locator('tr[data-order]');
  const count = await rows.count();
  assert.ok(count >= 3, `the demo has goods orders (${count})`);
  await shot(page, 'desktop-ui-goods-list', false);
  // The first three rows are on the first screen, above the sticky bulk bar.
  const bar = await page.getByTestId('goods-bulk-bar').boundingBox();
  assert.ok(bar && bar.y + bar.height <= 800, `the bulk bar is in view: ${JSON.stringify(bar)}`);
  for (let i = 0; i < 3; i++) {
    const box = await rows.nth(i).boundingBox();
    assert.ok(box && box.y + box.height <= bar.y, `row ${i + 1} is visible on the first screen: ${JSON.stringify(box)}`);
  }
  assert.equal(await page.getByTestId('tab-all').getAttribute('aria-current'), 'page');

  await page.getByTestId('select-page').check();
  const picked = await page.locator('input.pick-order:checked').count();
  assert.equal(picked, count, 'every row of the page is selected');
  await page.getByTestId('select-page').uncheck();
  assert.equal(await page.locator('input.pick-order:checked').count(), 0);

  // A search folds into a chip with its ×.
  await page.fill('[data-testid=goods-q]', '03-1234-5678');
  await page.getByTestId('goods-search-submit').click();
  await page.getByTestId('active-filters').waitFor();
  assert.ok((await rows.count()) >= 1, 'found by the phone number');
  await shot(page, 'desktop-goods-list-search', false);
  await page.getByTestId('chip-remove-q').click();
  await page.waitForURL(/tab=all/);
  assert.equal(await rows.count(), count);
  assert.deepEqual(errors, []);
});

test('phone: the order page of two destinations fits 375 px with the phones, the receipt and the history', async () => {
  const page = await (await browser.newContext(VIEWPORTS.phone)).newPage();
  const errors = consoleErrors(page);
  await login(page, 'demo1-admin', 'Demo1Admin');
  await page.goto(`${BASE}/shipping/orders`);
  // The demo's processed card order goes to two destinations.
  const numbers = await page.locator('tr[data-order]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-order')));
  let found = null;
  for (const n of numbers) {
    await page.goto(`${BASE}/shipping/orders/${n}`);
    if (await page.getByTestId('destination-2').count()) { found = n; break; }
  }
  assert.ok(found, 'a demo order with two destinations');
  assert.ok((await page.getByTestId('customer-phone').innerText()).trim().length > 0);
  assert.ok((await page.getByTestId('destination-phone-2').innerText()).trim().length > 0);
  assert.match(await page.getByTestId('tax-amount-10').innerText(), /円/);
  assert.ok((await page.getByTestId('history-row').count()) >= 1);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `nothing scrolls sideways (${overflow}px)`);
  await shot(page, 'phone-ui-goods-order');
  await page.goto(`${BASE}/shipping/orders`);
  await shot(page, 'phone-goods-list');
  assert.deepEqual(errors, []);
});
