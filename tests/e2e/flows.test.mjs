// Every web-ticket payment flow in a real browser, from the storefront to a used ticket, with
// the cancel and cancel-request paths, as customer, merchant and platform operator; the emails
// are read from the test SMTP server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, VIEWPORTS, launch, login, shot, waitForMail, linkIn } from './lib.mjs';

let browser;
let merchant; // demo1-admin's page
let operator; // the platform operator's page
before(async () => {
  browser = await launch();
  merchant = await (await browser.newContext(VIEWPORTS.desktop)).newPage();
  await login(merchant, 'demo1-admin', 'Demo1Admin');
  await merchant.waitForURL(`${BASE}/`);
  operator = await (await browser.newContext(VIEWPORTS.desktop)).newPage();
  await login(operator, 'operator', 'Operator2026');
  await operator.waitForURL(`${BASE}/`);
});
after(async () => { await browser?.close(); });

/** Sets DEMO1's 決済設定 as its admin would: what 「クレジットカード」 and 「銀行振込」 take. */
async function setPayment(cardMode, bankAccount) {
  await merchant.goto(`${BASE}/settings/payment`);
  await merchant.check(`[data-testid=card-mode-${cardMode}]`);
  await merchant.check(`[data-testid=bank-account-${bankAccount}]`);
  await merchant.getByTestId('save-payment').click();
  await merchant.getByTestId('flash').waitFor();
}

/** The buyer's plain choice and the merchant settings that make it `method`. */
const VIA = {
  card_capture: ['card', 'card_capture', 'bank_store'],
  card_auth: ['card', 'card_auth', 'bank_store'],
  bank_store: ['bank', 'card_capture', 'bank_store'],
  bank_platform: ['bank', 'card_capture', 'bank_platform'],
  pay_at_venue: ['venue', 'card_capture', 'bank_store'],
};

let seq = 0;
/**
 * A customer orders WT-BASIC × 1 on the storefront, picking the plain word behind `method`
 * under the merchant's settings; returns { page, email, number, myUrl }.
 */
async function shopOrder(method, card = 'tok_visa', viewport = 'phone') {
  const [choice, cardMode, bankAccount] = VIA[method];
  await setPayment(cardMode, bankAccount);
  const email = `e2e-flow-${Date.now()}-${seq++}@kippu.test`;
  const page = await (await browser.newContext(VIEWPORTS[viewport])).newPage();
  await page.goto(`${BASE}/shop/DEMO1`);
  await page.getByTestId('product-WT-BASIC').click();
  await page.fill('input[name=quantity]', '1');
  await page.fill('input[name=name]', '山田 花子');
  await page.fill('input[name=kana]', 'ヤマダ ハナコ');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=phone]', '090-1234-5678');
  await page.check(`input[name=payment_method][value=${choice}]`);
  // The test gateway's card field shows only while a card is the chosen way to pay.
  if (choice === 'card') await page.selectOption('select[name=card_token]', card);
  await page.getByTestId('to-confirm').click();
  await page.getByTestId('place-order').click();
  await page.getByTestId('placed').waitFor();
  const number = (await page.getByTestId('order-number').innerText()).trim();
  await setPayment('card_capture', 'bank_store');
  return { page, email, number, myUrl: page.url().replace('?placed=1', '') };
}

async function status(page, number) {
  await page.goto(`${BASE}/orders/${number}`);
  return (await page.getByTestId('status').innerText()).trim();
}

async function confirmScreen(page, number, action) {
  await page.goto(`${BASE}/orders/${number}/do/${action}`);
  await page.getByTestId('confirm').click();
  await page.waitForURL(`${BASE}/orders/${number}`);
}

async function sendTickets(number, mode = 'send-email') {
  await merchant.goto(`${BASE}/orders/${number}/send`);
  await merchant.getByTestId(mode).click();
  await merchant.waitForURL(`${BASE}/orders/${number}`);
}

test('card (capture at order): send, the buyer opens the mailed link, sees the QR and uses the ticket', async () => {
  const o = await shopOrder('card_capture');
  assert.equal((await o.page.getByTestId('order-status').innerText()).trim(), '送信待ち');
  await waitForMail(o.email, 'ご注文ありがとうございます');
  await sendTickets(o.number);
  assert.equal(await status(merchant, o.number), '送信済み');
  const mail = await waitForMail(o.email, 'ウェブチケットのお届け');
  const page = o.page;
  await page.goto(linkIn(mail, '/my/tickets/'));
  const qr = page.locator('img.qr').first();
  await qr.waitFor();
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 100), 'the QR code image loads');
  await shot(page, 'phone-my-tickets', false);
  page.once('dialog', (d) => d.accept());
  await page.locator('[data-testid^=use-]').first().click();
  await page.locator('.badge.used').first().waitFor();
  await merchant.goto(`${BASE}/orders/${o.number}`);
  assert.match(await merchant.locator('main').innerText(), /使用済み/);
});

test('bank transfer to the store: confirm with mail, revert, confirm again, send without mail', async () => {
  const o = await shopOrder('bank_store');
  await confirmScreen(merchant, o.number, 'mark-paid');
  assert.equal(await status(merchant, o.number), '送信待ち');
  await waitForMail(o.email, 'ご入金を確認いたしました');
  await confirmScreen(merchant, o.number, 'revert-payment');
  assert.equal(await status(merchant, o.number), '未入金');
  await confirmScreen(merchant, o.number, 'mark-paid');
  await sendTickets(o.number, 'send-silent');
  assert.equal(await status(merchant, o.number), '送信済み');
  assert.match(await merchant.locator('ol.steps').first().innerText(), /送信処理/);
});

test('bank transfer to the platform: the operator confirms in bulk and the merchant is told', async () => {
  const o = await shopOrder('bank_platform');
  await operator.goto(`${BASE}/platform/deposits`);
  await operator.check(`input[name=order][value=${o.number}]`);
  await operator.getByTestId('bulk-confirm-deposit').click();
  assert.match(await operator.locator('[data-testid=bulk-execute]').innerText(), /（1件）/);
  await operator.getByTestId('bulk-execute').click();
  await operator.getByTestId('bulk-done').waitFor();
  assert.equal(await status(merchant, o.number), '送信待ち');
  await waitForMail('info@demo1.kippu.test', `入金通知 【注文番号${o.number}】`);
});

test('pay at the venue: the merchant types the PIN on the buyer\'s online slip', async () => {
  const o = await shopOrder('pay_at_venue');
  const confirmation = await waitForMail(o.email, 'ご注文ありがとうございます');
  await o.page.goto(linkIn(confirmation, '/slip/'));
  // The PIN as the merchant sees it in the list: 【1234】.
  await merchant.goto(`${BASE}/orders?number=${o.number}`);
  const pin = (await merchant.locator('.pin').first().innerText()).replace(/[【】]/g, '');
  await o.page.fill('input[name=pin]', pin === '0000' ? '1111' : '0000');
  await o.page.getByTestId('slip-submit').click();
  assert.match(await o.page.getByTestId('slip-error').innerText(), /暗証番号が正しくありません/);
  await o.page.fill('input[name=pin]', pin);
  await o.page.getByTestId('slip-submit').click();
  await o.page.getByTestId('slip-done').waitFor();
  assert.equal((await o.page.getByTestId('slip-status').innerText()).trim(), '送信済み');
  await shot(o.page, 'phone-slip');
  await waitForMail(o.email, 'この度はお買い上げ誠にありがとうございます');
});

test('pay at the venue: receipt from the matching URL of the order notification', async () => {
  const o = await shopOrder('pay_at_venue');
  const notice = await waitForMail('info@demo1.kippu.test', `受注通知【注文番号${o.number}】`);
  await merchant.goto(linkIn(notice, '/receive'));
  await merchant.getByTestId('confirm').click();
  await merchant.waitForURL(`${BASE}/orders/${o.number}`);
  assert.equal(await status(merchant, o.number), '送信済み');
});

test('card authorization: capture; another order is cancelled and its authorization voided', async () => {
  const a = await shopOrder('card_auth');
  await merchant.goto(`${BASE}/orders/${a.number}/do/capture`);
  assert.match(await merchant.locator('main').innerText(), /与信期限まであと25日/);
  await merchant.getByTestId('confirm').click();
  assert.equal(await status(merchant, a.number), '送信待ち');
  const b = await shopOrder('card_auth');
  await confirmScreen(merchant, b.number, 'cancel');
  assert.equal(await status(merchant, b.number), 'キャンセル');
  await waitForMail(b.email, 'ご注文キャンセルのお知らせ');
});

test('cancel request after capture: approval checkbox, then the operator refunds', async () => {
  const o = await shopOrder('card_capture');
  await merchant.goto(`${BASE}/orders/${o.number}/do/cancel-request`);
  await merchant.getByTestId('confirm').click();
  assert.match(await merchant.getByTestId('action-error').innerText(), /承認/);
  await merchant.check('[data-testid=approve]');
  await merchant.getByTestId('confirm').click();
  assert.equal(await status(merchant, o.number), 'キャンセル申請中');
  await operator.goto(`${BASE}/platform/cancel-requests`);
  await operator.getByTestId(`complete-${o.number}`).click();
  await operator.getByTestId('confirm').click();
  await operator.waitForURL(`${BASE}/orders/${o.number}`);
  assert.equal(await status(merchant, o.number), 'キャンセル');
  const mail = await waitForMail(o.email, 'ご注文キャンセルのお知らせ');
  assert.match(mail.body, /ご返金額: 2,000円/);
});

test('the order list on a phone: rows are cards with labels, the search folds into 検索条件 with chips; bulk use of tickets', async () => {
  const page = await (await browser.newContext({ ...VIEWPORTS.phone, locale: 'ja-JP' })).newPage();
  await login(page, 'demo1-staff', 'Demo1Staff');
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/orders?status=sent`);
  const search = page.locator('details.search-box');
  assert.equal(await search.evaluate((d) => d.open), false, 'the search is folded on a phone');
  assert.equal((await page.getByTestId('search-toggle').innerText()).trim(), '検索条件 (1)');
  assert.equal((await page.locator('[data-testid=active-filters] li span').innerText()).trim(), 'ステータス: 送信済み');
  const first = page.locator('tr[data-order]').first();
  // The row is a card: its cells say what they hold.
  const label = await first.locator('td.amount').evaluate((td) => getComputedStyle(td, '::before').content);
  assert.match(label, /受注金額/);
  await page.getByTestId('search-toggle').click();
  assert.equal(await search.evaluate((d) => d.open), true, 'and opens on a tap');
  await shot(page, 'phone-orders', false);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no horizontal scrolling (overflow ${overflow}px)`);
  await first.locator('input.pick-ticket').first().check();
  await page.getByTestId('bulk-use').click();
  await page.getByTestId('bulk-rows').waitFor();
  await shot(page, 'phone-bulk-confirm');
  await merchant.goto(`${BASE}/orders`);
  await shot(merchant, 'desktop-orders', false);
});
