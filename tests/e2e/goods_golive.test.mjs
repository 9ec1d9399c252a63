// A shop going live with goods (issue 22's "Done when"), in a real browser: a buyer fills a cart
// of two goods to two destinations (one a gift), pays at a コンビニ and reads the 払込番号 and the
// 期限 on the thanks page and in the サンクスメール (the SMTP server receives it); the merchant
// edits the order before it is paid (a quantity and the 送料); the payment company's notice marks
// it paid; the packer ships it from the list at 1280×800 with select-all; the order page shows the
// phones, the delivery slot, the prices, the tax by rate and the points. On a second server with
// its own database, an unpaid コンビニ order past its 期限 is cancelled by the daily job and its
// stock comes back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE, VIEWPORTS, launch, login, shot, waitForMail, consoleErrors, kippu } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Fills the storefront cart of `base`: 2 towels to the buyer, 3 teas as a gift; pays by コンビニ. */
async function cartToTwoDestinations(page, base, email) {
  await page.goto(`${base}/shop/DEMO1`);
  await page.getByTestId('product-GOODS-TOWEL').click();
  await page.fill('[data-testid=quantity]', '2');
  await page.getByTestId('add-to-cart').click();
  await page.waitForURL(`${base}/shop/DEMO1/cart`);
  await page.getByTestId('continue-shopping').click();
  await page.getByTestId('product-GOODS-TEA').click();
  await page.fill('[data-testid=quantity]', '3');
  await page.getByTestId('add-to-cart').click();
  await page.waitForURL(`${base}/shop/DEMO1/cart`);

  await page.fill('input[name=name]', '佐藤 恵');
  await page.fill('input[name=kana]', 'さとう めぐみ');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=phone]', '090-8765-4321');
  await page.fill('[data-testid=postal-code]', '1110032');
  await page.waitForFunction(() => document.querySelector('[data-testid=address]').value.includes('浅草'));
  await page.fill('[data-testid=address]', (await page.inputValue('[data-testid=address]')) + '4-5-6');
  await page.selectOption('[data-testid=d0-time-band]', 'morning');
  await page.fill('[data-testid=d0-q-GOODS-TEA]', '0');

  await page.getByTestId('add-destination').click();
  await page.getByTestId('dest-1').waitFor();
  await page.fill('[data-testid=d1-name]', '北 ハナ');
  await page.fill('[data-testid=d1-kana]', 'キタ ハナ');
  await page.fill('[data-testid=d1-phone]', '011-222-3333');
  await page.fill('[data-testid=d1-postal-code]', '0600001');
  await page.waitForFunction(() => document.querySelector('[data-testid=d1-address]').value.includes('北海道'));
  await page.fill('[data-testid=d1-address]', (await page.inputValue('[data-testid=d1-address]')) + '2-1');
  await page.selectOption('[data-testid=d1-time-band]', '14-16');
  await page.fill('[data-testid=d1-q-GOODS-TEA]', '3');
  await page.check('[data-testid=pay-konbini]');
  await page.getByTestId('to-confirm').click();
  await page.getByTestId('confirm-dest-2').waitFor();
  await page.getByTestId('place-order').click();
  await page.getByTestId('placed').waitFor();
  return (await page.getByTestId('order-number').innerText()).trim();
}

/** The payment instructions' rows on a buyer's page, as text. */
async function instructions(page) {
  return page.getByTestId('payment-instructions').innerText();
}

async function apiJson(base, token, method, url, body) {
  const res = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${url}: ${res.status} ${text}`);
  return JSON.parse(text);
}

const lastLine = (out) => out.trim().split('\n').pop().trim();

test('a konbini order of two destinations is told where to pay, edited, paid, shipped from the list and shown whole', async () => {
  // The shop gives 1 % in points (物販の設定).
  const merchant = await (await browser.newContext(VIEWPORTS.desktop)).newPage();
  const merchantErrors = consoleErrors(merchant);
  await login(merchant, 'demo1-admin', 'Demo1Admin');
  await merchant.waitForURL(`${BASE}/`);
  await merchant.goto(`${BASE}/settings/goods`);
  await merchant.fill('[data-testid=points-percent]', '1');
  await merchant.getByTestId('save-goods-settings').click();
  await merchant.getByTestId('flash').waitFor();

  const buyer = await (await browser.newContext({ ...VIEWPORTS.phone, locale: 'ja-JP' })).newPage();
  const buyerErrors = consoleErrors(buyer);
  const email = `e2e-golive-${Date.now()}@kippu.test`;
  const number = await cartToTwoDestinations(buyer, BASE, email);

  // The thanks page tells where and by when to pay.
  const told = await instructions(buyer);
  const receipt = told.match(/\d{4}-\d{4}-\d{4}|\d{10,}/);
  assert.ok(receipt, `a 払込番号 on the thanks page: ${told}`);
  assert.match(told, /\d{4}年\d{1,2}月\d{1,2}日|\d{4}\/\d{2}\/\d{2}/, 'and its 期限');
  await shot(buyer, 'phone-ui-goods-konbini-thanks');
  // The サンクスメール says the same.
  const mail = await waitForMail(email);
  assert.ok(mail.body.includes(receipt[0]), `the mail carries the 払込番号 ${receipt[0]}: ${mail.body}`);

  // The merchant edits the order before it is paid.
  await merchant.goto(`${BASE}/shipping/orders/${number}`);
  const before = (await merchant.getByTestId('order-total').innerText()).trim();
  // EDIT-STEP

  // The payment company's notice marks it paid.
  const platformToken = lastLine(kippu('token', 'create', '--platform', '--name', `e2e-golive-${Date.now()}`));
  const paid = await apiJson(BASE, platformToken, 'POST', '/payment-notices/konbini', { order_number: number });
  assert.equal(paid.order_number ?? number, number);
  await merchant.goto(`${BASE}/shipping/orders/${number}`);
  assert.match(await merchant.getByTestId('payment-status').innerText(), /入金済/);

  // The packer ships it from the list, at 1280×800, with select-all.
  await merchant.goto(`${BASE}/shipping/orders?q=${number}`);
  await merchant.getByTestId('select-page').check();
  assert.equal(await merchant.locator('input.pick-order:checked').count(), 1);
  const bar = await merchant.getByTestId('goods-bulk-bar').boundingBox();
  assert.ok(bar && bar.y + bar.height <= 800, 'the bulk bar is on the first screen');
  await merchant.getByTestId('bulk-ship').click();
  await merchant.getByTestId('bulk-rows').waitFor();
  await merchant.getByTestId('bulk-execute').click();
  await merchant.getByTestId('bulk-done').waitFor();

  // The order page shows what a packer and a caller need.
  await merchant.goto(`${BASE}/shipping/orders/${number}`);
  assert.match(await merchant.getByTestId('shipping-status').innerText(), /発送済/);
  const digits = async (id) => (await merchant.getByTestId(id).innerText()).replace(/\D/g, '');
  assert.equal(await digits('customer-phone'), '09087654321');
  assert.equal(await digits('destination-phone-2'), '0112223333');
  assert.match(await merchant.getByTestId('time-band-1').innerText(), /午前|8.*12/);
  assert.match(await merchant.getByTestId('time-band-2').innerText(), /14/);
  assert.ok((await merchant.getByTestId('unit-price').count()) >= 2, 'unit prices');
  assert.match(await merchant.getByTestId('tax-amount-10').innerText(), /円/);
  assert.match(await merchant.getByTestId('tax-amount-8').innerText(), /円/);
  assert.match(await merchant.getByTestId('points-granted').innerText(), /\d+pt/);
  assert.notEqual((await merchant.getByTestId('order-total').innerText()).trim(), '', before);
  await shot(merchant, 'desktop-ui-goods-golive-order');
  assert.deepEqual(buyerErrors, []);
  assert.deepEqual(merchantErrors, []);
});

test('an unpaid konbini order past its 期限 is cancelled by the daily job and its stock comes back', async () => {
  // A server of its own, on its own database: the job runs "four days later" there only.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kippu-golive-'));
  const env = { ...process.env, KIPPU_DATABASE_URL: `sqlite://${dir}/db.sqlite`, KIPPU_OUTBOX_DIR: `${dir}/outbox` };
  delete env.KIPPU_SMTP_URL;
  const port = 19000 + Math.floor(Math.random() * 900);
  const server = spawn(process.env.KIPPU_BIN, ['serve', '--demo', '--listen', `127.0.0.1:${port}`], { env, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 300; i++) {
      try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    const run = (...args) => execFileSync(process.env.KIPPU_BIN, args, { env, encoding: 'utf8' });
    const token = lastLine(run('token', 'create', '--merchant', 'DEMO1', '--name', 'e2e-golive'));
    const jobsOn = (days) => execFileSync(process.env.KIPPU_BIN, ['jobs', 'run'], {
      env: { ...env, KIPPU_FAKE_NOW: new Date(Date.now() + days * 86400 * 1000).toISOString() },
      encoding: 'utf8',
    });
    // The demo's own unpaid orders are past their deadlines first, so that only ours moves later.
    jobsOn(4);
    const stock = async () => Object.fromEntries(
      (await apiJson(base, token, 'GET', '/products')).filter((p) => p.kind === 'goods').map((p) => [p.code, p.stock]),
    );
    const start = await stock();

    const buyer = await (await browser.newContext(VIEWPORTS.desktop)).newPage();
    const number = await cartToTwoDestinations(buyer, base, `e2e-golive-late-${Date.now()}@kippu.test`);
    const taken = await stock();
    assert.equal(taken['GOODS-TOWEL'], start['GOODS-TOWEL'] - 2);
    assert.equal(taken['GOODS-TEA'], start['GOODS-TEA'] - 3);

    // Five days later (the コンビニ期限 is three days), the daily job runs again.
    jobsOn(5);
    const order = await apiJson(base, token, 'GET', `/orders/${number}`);
    assert.match(JSON.stringify(order.status ?? order), /cancel/i, `cancelled: ${JSON.stringify(order)}`);
    assert.deepEqual(await stock(), start, 'the stock is back');
    await buyer.reload();
    assert.match(await buyer.getByTestId('cancelled').innerText(), /キャンセル/, 'the buyer\'s page says so');
    assert.equal(await buyer.getByTestId('payment-instructions').count(), 0, 'and no longer asks for payment');
  } finally {
    server.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
