// A phone call end to end in the call centre's console (issue 23's "Done when"), in a real
// browser as the operator demo1-cc of DEMO1, keyboard first where the console offers it: a
// customer is found by phone (typed with hyphens); a new caller is registered in 受付 (kana typed
// in hiragana); a goods order is taken for them with a coupon and an AD code (made first by the
// merchant admin in the admin pages), to a new address saved to the address book, with the
// completion mail (the SMTP server receives it); the call is written to 対応履歴; a 定期 is started
// with a card registered on the sandbox's card page; `kippu jobs run` a cycle later
// (KIPPU_FAKE_NOW) makes the child order, seen in 受注情報 and on the master; a card the payment
// company declines makes a refused order listed in リジェクト注文情報; a paused master gets no
// child at the next cycle, and after 再開 the next run makes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE, VIEWPORTS, launch, login, shot, waitForMail, consoleErrors } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const RUN = Date.now().toString(36);
const COUPON = `CALL${RUN}`.toUpperCase().slice(0, 20);
const AD = `AD${RUN}`.toUpperCase().slice(0, 20);
const EMAIL = `call-${RUN}@example.test`;
const CYCLE_DAYS = 7;

/** Today in Japan, and the day `days` later, as YYYY-MM-DD (the master's dates are JST). */
function jstDate(days = 0) {
  const d = new Date(Date.now() + 9 * 3600 * 1000 + days * 86400 * 1000);
  return d.toISOString().slice(0, 10);
}

/**
 * `kippu jobs run --only subscriptions` on a fake clock at 09:00 JST on `date`; its output.
 * Only 定期's job: every job on a clock two weeks ahead would settle voucher and sales periods
 * that the browser tests after this one still pay into (vouchers.test.mjs).
 */
function jobsRunOn(date) {
  return execFileSync(process.env.KIPPU_BIN, ['jobs', 'run', '--only', 'subscriptions'], {
    env: { ...process.env, KIPPU_FAKE_NOW: `${date}T09:00:00+09:00` },
    encoding: 'utf8',
  });
}

async function submitAndWait(page, testid) {
  await Promise.all([page.waitForNavigation(), page.getByTestId(testid).click()]);
}

/** The merchant admin makes the coupon (500 yen off) and the AD code the call will use. */
async function promotions(page) {
  await login(page, 'demo1-admin', 'Demo1Admin');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto(`${BASE}/proxy/coupons/new`);
  await page.fill('input[name=code]', COUPON);
  await page.fill('input[name=name]', '電話注文500円引き');
  await page.check('input[name=discount_kind][value=yen]');
  await page.fill('input[name=discount_value]', '500');
  await page.check('input[name=enabled]');
  await Promise.all([page.waitForNavigation(), page.click('form.card button[type=submit].primary')]);
  await page.getByTestId(`coupon-${COUPON}`).waitFor();
  await page.goto(`${BASE}/proxy/adcodes/new`);
  await page.fill('input[name=code]', AD);
  await page.fill('input[name=name]', '新聞広告 12月');
  await Promise.all([page.waitForNavigation(), page.click('form.card button[type=submit].primary')]);
  assert.match(await page.locator('body').innerText(), new RegExp(AD));
}

/** Puts `code` in the 注文入力 cart from the keyboard: type, Enter searches, ↓ and Enter add. */
async function addToCart(page, code) {
  await page.getByTestId('product-q').fill(code);
  await Promise.all([page.waitForNavigation(), page.getByTestId('product-q').press('Enter')]);
  await page.getByTestId('product-q').focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'add-to-cart');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await page.getByTestId('cart-line').first().waitFor();
}

/** The console tab labelled `label`. */
async function tab(page, label) {
  await Promise.all([page.waitForNavigation(), page.getByTestId('console-tab').filter({ hasText: label }).click()]);
}

/** Registers the sandbox card behind `token` on the cards page the order form links to. */
async function registerCard(page, token) {
  await Promise.all([page.waitForNavigation(), page.getByTestId('manage-cards').click()]);
  await page.fill('[data-testid=card-token]', token);
  await Promise.all([page.waitForNavigation(), page.getByTestId('card-register-submit').click()]);
  await tab(page, '注文入力');
}

async function childOrders(page, masterHref) {
  await page.goto(`${BASE}${masterHref}`);
  return page.locator('[data-testid=subscription-children] tbody tr').count();
}

test('a call: find, register, order with coupon and AD code, mail, 対応履歴, 定期 by stored card, job, decline, pause and resume', async () => {
  const admin = await browser.newContext(VIEWPORTS.desktop);
  await promotions(await admin.newPage());
  await admin.close();

  const ctx = await browser.newContext(VIEWPORTS.desktop);
  const page = await ctx.newPage();
  const errors = consoleErrors(page);
  await login(page, 'demo1-cc', 'Demo1Call');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));

  // 顧客検索 by phone with hyphens: the search box has the focus (autofocus; its Alt+F accesskey is
  // not reachable through the browser's synthetic keys), Enter searches, ↓ Enter picks.
  await page.goto(`${BASE}/callcenter`);
  assert.equal(await page.evaluate(() => document.activeElement?.name), 'q');
  await page.keyboard.type('090-1111-2222');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(await page.getByTestId('console-found').innerText(), /山田 花子/);
  await page.keyboard.press('ArrowDown');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal((await page.getByTestId('console-customer-name').innerText()).trim(), '山田 花子');

  // 総合受付: a new caller, kana typed in hiragana, the address filled from the postal code.
  await Promise.all([page.waitForNavigation(), page.getByTestId('new-customer').click()]);
  await page.fill('input[name=name]', '電話 一郎');
  await page.fill('input[name=kana]', 'でんわ いちろう');
  await page.fill('input[name=phone]', '03-5555-0123');
  await page.fill('input[name=email]', EMAIL);
  await page.fill('[data-testid=postal-code]', '1110032');
  await page.waitForFunction(() => document.querySelector('[data-testid=address]').value.includes('浅草'));
  await page.fill('[data-testid=address]', (await page.inputValue('[data-testid=address]')) + '1-2-3');
  await submitAndWait(page, 'register');
  const customer = new URL(page.url()).searchParams.get('customer');
  assert.ok(customer, page.url());
  assert.match(await page.getByTestId('console-customer').innerText(), /電話 一郎\s+デンワ イチロウ/);
  await shot(page, 'callcenter-reception-1280');

  // 注文入力: a towel with the coupon and the AD code, to a new address saved to the book.
  await tab(page, '注文入力');
  await addToCart(page, 'GOODS-TOWEL');
  await page.selectOption('[data-testid=ad-code]', AD);
  await page.selectOption('[data-testid=payment-method]', 'cod');
  await page.fill('[data-testid=coupon-code]', COUPON);
  await page.check('[data-testid=ship-to-new]');
  await page.fill('[data-testid=dest-name]', '電話 花子');
  await page.fill('[data-testid=dest-kana]', 'でんわ はなこ');
  await page.fill('[data-testid=dest-phone]', '06-1234-5678');
  await page.fill('[data-testid=dest-postal]', '5300001');
  await page.waitForFunction(() => document.querySelector('[data-testid=dest-address]').value.includes('大阪'));
  await page.fill('[data-testid=dest-address]', (await page.inputValue('[data-testid=dest-address]')) + '9-9');
  await submitAndWait(page, 'save-address');
  assert.ok(await page.getByTestId('ship-to-book').isChecked(), 'the saved address is chosen');
  assert.match(await page.getByTestId('entry-destination').innerText(), /電話 花子/);
  await page.check('[data-testid=send-mail]');
  await submitAndWait(page, 'save-draft');
  assert.equal(await page.getByTestId('quote-discount').innerText(), '500円');
  assert.match(await page.getByTestId('quote-ship-to').innerText(), /電話 花子/);
  await submitAndWait(page, 'place-order');
  const placed = await page.getByTestId('flash-message').innerText();
  const number = placed.match(/[A-Z0-9]{10,}/)?.[0];
  assert.ok(number, placed);
  const mail = await waitForMail(EMAIL);
  assert.match(mail.body, new RegExp(number));
  assert.equal(await page.getByTestId('customer-order').count(), 1);

  // 対応履歴: the call written down.
  await tab(page, '対応履歴');
  await page.selectOption('[data-testid=field-category]', '電話');
  await page.selectOption('[data-testid=field-summary]', '注文');
  await page.fill('[data-testid=field-content]', `タオルを注文。クーポン ${COUPON} を利用、大阪のお届け先を登録。`);
  await submitAndWait(page, 'interaction-add-submit');
  assert.match(await page.getByTestId('interactions').innerText(), new RegExp(COUPON));

  // 定期 by a stored card: registered on the sandbox's card page, then picked.
  await tab(page, '注文入力');
  await addToCart(page, 'GOODS-TEA');
  await page.selectOption('[data-testid=payment-method]', 'card_capture');
  await registerCard(page, 'tok_visa');
  assert.equal(await page.inputValue('[data-testid=payment-method]'), 'card_capture', 'the draft kept the payment');
  await page.getByTestId('card-radio').first().check();
  await page.check('[data-testid=kind-regular]');
  await page.check('[data-testid=cycle-days]');
  await page.fill('[data-testid=every-days]', String(CYCLE_DAYS));
  await page.check('[data-testid=ship-to-customer]');
  await submitAndWait(page, 'save-draft');
  assert.equal(await page.getByTestId('quote-cycle').innerText(), `${CYCLE_DAYS}日ごと`);
  assert.equal(await page.getByTestId('quote-next-date').innerText(), jstDate(CYCLE_DAYS));
  assert.equal(await page.getByTestId('quote-card').innerText(), 'VISA ****4242 12/2030');
  await shot(page, 'callcenter-order-regular-1280');
  await submitAndWait(page, 'place-order');
  const masterHref = await page.getByTestId('flash-undo').getAttribute('href');
  assert.match(masterHref, /^\/callcenter\/subscriptions\/\d+$/);

  // A cycle later the job makes the child: in 受注情報 as 定期便, and on the master.
  jobsRunOn(jstDate(CYCLE_DAYS));
  await page.goto(`${BASE}/callcenter/orders?customer=${customer}`);
  assert.match(await page.getByTestId('customer-orders').innerText(), /定期便/);
  assert.equal(await childOrders(page, masterHref), 1);
  assert.equal(await page.getByTestId('subscription-next').innerText(), jstDate(2 * CYCLE_DAYS));

  // A card the payment company declines: the order is refused and kept as a rejected order.
  await tab(page, '注文入力');
  await addToCart(page, 'GOODS-TOWEL');
  await page.selectOption('[data-testid=payment-method]', 'card_capture');
  await registerCard(page, 'tok_declined_on_charge');
  await page.locator('label.radio', { hasText: '****0002' }).locator('input').check();
  await page.check('[data-testid=kind-normal]');
  await page.check('[data-testid=ship-to-customer]');
  await submitAndWait(page, 'place-order');
  assert.match(await page.getByTestId('form-errors').innerText(), /declined|承認|カード/);
  await tab(page, 'リジェクト注文情報');
  assert.match(await page.getByTestId('rejected').innerText(), /カード決済不可/);

  // Paused: the next cycle makes no child. Resumed: the next run makes it.
  await page.goto(`${BASE}${masterHref}`);
  await submitAndWait(page, 'act-pause');
  assert.match(await page.getByTestId('subscription-status').innerText(), /一時停止/);
  jobsRunOn(jstDate(2 * CYCLE_DAYS));
  assert.equal(await childOrders(page, masterHref), 1);
  await submitAndWait(page, 'act-resume');
  jobsRunOn(jstDate(2 * CYCLE_DAYS));
  assert.equal(await childOrders(page, masterHref), 2);

  // A form answered 422 (a card method before a card is picked, the declined order) is the page
  // working; anything else the console reports is a fault.
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
  await ctx.close();

  // The key pages on a phone.
  const phone = await browser.newContext(VIEWPORTS.phone);
  const p = await phone.newPage();
  await login(p, 'demo1-cc', 'Demo1Call');
  await p.waitForURL((u) => !u.pathname.startsWith('/login'));
  for (const [path, name] of [
    [`/callcenter?customer=${customer}`, 'reception'],
    [`/callcenter/order?customer=${customer}`, 'order'],
    [`/callcenter/orders?customer=${customer}`, 'orders'],
    [masterHref, 'subscription'],
    [`/callcenter/rejected`, 'rejected'],
  ]) {
    await p.goto(`${BASE}${path}`);
    await shot(p, `callcenter-${name}-375`);
  }
  await phone.close();
});
