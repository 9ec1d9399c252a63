// Shipped goods end to end in a real browser (seed 002): a buyer orders goods on the
// storefront; the merchant captures the card, exports the B2 layout, imports the shipped-data
// file with one bad line (sees the NG line, applies only the OK lines), sends the shipping
// notices in bulk (the SMTP server receives them with the tracking number), marks the order
// processed and activates its points.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { BASE, VIEWPORTS, launch, login, shot, waitForMail, consoleErrors } from './lib.mjs';

let browser;
let merchant; // demo2-admin's page
let errors;
before(async () => {
  browser = await launch();
  merchant = await (await browser.newContext({ ...VIEWPORTS.desktop, acceptDownloads: true })).newPage();
  errors = consoleErrors(merchant);
  await login(merchant, 'demo2-admin', 'Demo2Admin');
  await merchant.waitForURL(`${BASE}/`);
});
after(async () => { await browser?.close(); });

/** RFC 4180 fields of one CSV text (quoted or not, CRLF or LF). */
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const csvLine = (cells) => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',');

/** A tracking number B2 could print: eleven digits and their check digit (mod 7). */
const tracking = (n) => `${String(n).padStart(11, '0')}${n % 7}`;

async function settings() {
  // 与信モード: the card is captured by the merchant, as the manual's card flow has it.
  await merchant.goto(`${BASE}/settings/payment`);
  await merchant.check('[data-testid=card-mode-card_auth]');
  await merchant.getByTestId('save-payment').click();
  await merchant.getByTestId('flash').waitFor();
  // 1 % points, activated by an admin; 800 yen a parcel.
  await merchant.goto(`${BASE}/settings/goods`);
  await merchant.fill('[data-testid=base-fee]', '800');
  await merchant.fill('[data-testid=points-percent]', '1');
  await merchant.check('input[name=points_activation][value=by_admin]');
  await merchant.getByTestId('save-goods-settings').click();
  await merchant.getByTestId('flash').waitFor();
}

async function buyTowels(email) {
  const page = await (await browser.newContext(VIEWPORTS.phone)).newPage();
  const buyerErrors = consoleErrors(page);
  await page.goto(`${BASE}/shop/DEMO2`);
  await page.getByTestId('product-GOODS-TOWEL').click();
  await page.fill('[data-testid=quantity]', '２');
  await page.getByTestId('add-to-cart').click();
  await page.waitForURL(`${BASE}/shop/DEMO2/cart`);
  await page.fill('input[name=name]', '髙橋 美咲');
  await page.fill('input[name=kana]', 'たかはし みさき');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=phone]', '090-1234-5678');
  await page.check('[data-testid=d0-to-self]');
  await page.fill('[data-testid=postal-code]', '1110032');
  // The postal code fills the address from the shipped table; the buyer adds the number.
  await page.waitForFunction(() => document.querySelector('[data-testid=address]').value.includes('浅草'));
  await page.fill('[data-testid=address]', (await page.inputValue('[data-testid=address]')) + '1-2-3');
  await page.selectOption('[data-testid=d0-time-band]', 'morning');
  await page.check('[data-testid=pay-card]');
  await page.getByTestId('to-confirm').click();
  assert.equal((await page.getByTestId('shipping-fee').innerText()).trim(), '800円');
  const amount = (await page.getByTestId('amount').innerText()).trim();
  await shot(page, 'phone-goods-confirm');
  await page.getByTestId('place-order').click();
  await page.getByTestId('placed').waitFor();
  const number = (await page.getByTestId('order-number').innerText()).trim();
  assert.equal((await page.getByTestId('amount').innerText()).trim(), amount, 'the order charges what was confirmed');
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(fits, 'the buyer\'s order page does not scroll sideways on a phone');
  assert.deepEqual(buyerErrors, []);
  return { page, number };
}

test('a storefront goods order is captured, labelled in B2, shipped from the file that comes back, notified, processed and its points activated', async () => {
  await settings();
  const email = `e2e-goods-${Date.now()}@kippu.test`;
  const { page: buyer, number } = await buyTowels(email);
  await waitForMail(email, 'ご注文ありがとうございます');

  // The card is authorized at order; the merchant captures it on the order page.
  await merchant.goto(`${BASE}/shipping/orders/${number}`);
  assert.equal((await merchant.getByTestId('card-state').innerText()).trim(), '与信済');
  assert.equal(await merchant.getByTestId('do-process').count(), 0, 'no 処理済み before the capture');
  await merchant.getByTestId('do-capture').click();
  await merchant.waitForURL(`${BASE}/shipping/orders/${number}`);
  assert.equal((await merchant.getByTestId('card-state').innerText()).trim(), '売上確定');

  // Labels: the B2 import layout of the unshipped orders, in CP932.
  await merchant.goto(`${BASE}/shipping/orders?tab=unshipped`);
  await merchant.locator('[data-testid=downloads] > summary').click();
  const [download] = await Promise.all([merchant.waitForEvent('download'), merchant.getByTestId('export-b2').click()]);
  const exported = parseCsv(new TextDecoder('shift_jis').decode(fs.readFileSync(await download.path())));
  assert.equal(exported[0][0], 'お客様管理番号');
  const row = exported.find((r) => r[0] === number);
  assert.ok(row, `the order ${number} has a label row`);
  assert.equal(row.length, 97);
  assert.equal(row[15], '髙橋 美咲');

  // B2 gives the file back with 伝票番号 filled; one line is for an order kippu does not know.
  const good = tracking(70000000000 + Number(number.slice(-6)));
  row[3] = good;
  const bad = [...row];
  bad[0] = 'T99999999999999';
  bad[3] = tracking(70000000001);
  const file = { name: 'b2-issued.csv', mimeType: 'text/csv', buffer: Buffer.from([exported[0], row, bad].map(csvLine).join('\r\n') + '\r\n') };
  await merchant.goto(`${BASE}/shipping/import`);
  await merchant.check('[data-testid=format-b2]');
  await merchant.setInputFiles('[data-testid=file]', file);
  await merchant.check('[data-testid=apply-none]');
  await merchant.getByTestId('upload').click();
  await merchant.getByTestId('import-report').waitFor();
  assert.equal((await merchant.getByTestId('verdict-2').innerText()).trim(), 'OK');
  assert.match(await merchant.getByTestId('verdict-3').innerText(), /NG: .*T99999999999999/);
  await shot(merchant, 'desktop-goods-import-preview');
  await merchant.setInputFiles('[data-testid=file]', file);
  await merchant.check('[data-testid=apply-valid]');
  await merchant.getByTestId('upload').click();
  await merchant.getByTestId('import-report').waitFor();
  assert.match(await merchant.getByTestId('import-message').innerText(), /1/);
  await merchant.goto(`${BASE}/shipping/orders/${number}`);
  assert.equal((await merchant.getByTestId('tracking-1').innerText()).trim().replace(/\D/g, ''), good);

  // 注文を発送済みにする in bulk with the shipping notice.
  await merchant.goto(`${BASE}/shipping/orders?q=${number}`);
  await merchant.check(`[data-testid=pick-${number}]`);
  await merchant.getByTestId('bulk-ship').click();
  await merchant.getByTestId('bulk-rows').waitFor();
  await merchant.getByTestId('bulk-execute').click();
  await merchant.getByTestId('bulk-done').waitFor();
  const notice = await waitForMail(email, '商品を発送いたしました');
  assert.ok(notice.body.includes(good), notice.body);
  assert.ok(notice.body.includes(`number01=${good}`), 'with the carrier\'s tracking link');

  // 処理済み, now that the card is captured and the parcel has left.
  await merchant.goto(`${BASE}/shipping/orders/${number}`);
  await merchant.getByTestId('do-process').click();
  await merchant.waitForURL(`${BASE}/shipping/orders/${number}`);
  assert.equal((await merchant.getByTestId('order-status').innerText()).trim(), '処理済み');

  // The points wait for the admin, who activates them.
  await merchant.goto(`${BASE}/shipping/points`);
  await merchant.check(`[data-testid=pick-point-${number}]`);
  await merchant.getByTestId('points-bulk').click();
  await merchant.goto(`${BASE}/shipping/points?status=active`);
  assert.equal(await merchant.locator(`tr[data-point="${number}"]`).count(), 1);

  // The buyer's page follows the parcel.
  await buyer.reload();
  assert.equal((await buyer.getByTestId('shipping').innerText()).trim(), '発送済み');
  assert.ok((await buyer.getByTestId('tracking').innerText()).includes(good));
  await shot(buyer, 'phone-goods-my-order');
  assert.deepEqual(errors, []);

  // Leave DEMO2 as the demo has it for the tests after this one.
  await merchant.goto(`${BASE}/settings/payment`);
  await merchant.check('[data-testid=card-mode-card_capture]');
  await merchant.getByTestId('save-payment').click();
  await merchant.getByTestId('flash').waitFor();
});
