// The goods storefront as a shop, in a real browser at both sizes: a buyer puts two goods in
// the cart, sends the towels to herself and the tea to someone else as a gift (the recipient's
// own name, kana, phone and address, its own date and time band), reads unit prices, tax per
// rate, 送料 and the points on the confirmation, and places the order. Screenshots of the cart
// and the confirmation are taken for a person to look at; the page never scrolls sideways and
// every radio sits beside its label.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, VIEWPORTS, launch, login, shot, consoleErrors } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Nothing wider than the screen. */
async function fits(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** Each radio and its label's text on one line, side by side, the word never broken. */
async function radiosBesideLabels(page) {
  return page.$$eval('label.radio', (labels) => labels.filter((l) => l.offsetParent !== null).map((l) => {
    const input = l.querySelector('input').getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(l);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.left >= input.right - 1);
    const text = rects[0];
    return {
      label: l.textContent.trim(),
      gap: text ? Math.round(text.left - input.right) : -1,
      sameRow: text ? Math.abs((text.top + text.bottom) / 2 - (input.top + input.bottom) / 2) < 16 : false,
    };
  }));
}

for (const vp of ['desktop', 'phone']) {
  test(`${vp}: a cart of two goods goes to two destinations, one a gift, and the order is placed`, async () => {
    const ctx = await browser.newContext({ ...VIEWPORTS[vp], locale: 'ja-JP' });
    const page = await ctx.newPage();
    const errors = consoleErrors(page);
    const email = `e2e-shop-${vp}-${Date.now()}@kippu.test`;

    await page.goto(`${BASE}/shop/DEMO1`);
    await page.getByTestId('product-GOODS-TOWEL').click();
    await page.fill('[data-testid=quantity]', '2');
    await page.getByTestId('add-to-cart').click();
    await page.waitForURL(`${BASE}/shop/DEMO1/cart`);
    await page.getByTestId('continue-shopping').click();
    await page.getByTestId('product-GOODS-TEA').click();
    await page.fill('[data-testid=quantity]', '３');
    await page.getByTestId('add-to-cart').click();
    await page.waitForURL(`${BASE}/shop/DEMO1/cart`);

    await page.fill('input[name=name]', '山田 花子');
    await page.fill('input[name=kana]', 'やまだ はなこ');
    await page.fill('input[name=email]', email);
    await page.fill('input[name=phone]', '０９０１２３４５６７８');
    await page.fill('[data-testid=postal-code]', '1110032');
    await page.waitForFunction(() => document.querySelector('[data-testid=address]').value.includes('浅草'));
    await page.fill('[data-testid=address]', (await page.inputValue('[data-testid=address]')) + '1-2-3');
    await page.selectOption('[data-testid=d0-time-band]', 'morning');
    await page.fill('[data-testid=d0-q-GOODS-TEA]', '0');

    // A second destination, a gift: the page comes back with everything typed kept.
    await page.getByTestId('add-destination').click();
    await page.getByTestId('dest-1').waitFor();
    assert.equal(await page.inputValue('input[name=email]'), email);
    assert.ok(await page.isChecked('[data-testid=d1-to-gift]'));
    assert.ok(await page.getByTestId('d1-name').isVisible(), 'a gift asks for the recipient');
    assert.ok(!(await page.getByTestId('d0-name').isVisible()), 'the buyer\'s own destination does not');
    await page.fill('[data-testid=d1-name]', '北 ハナ');
    await page.fill('[data-testid=d1-kana]', 'キタ ハナ');
    await page.fill('[data-testid=d1-phone]', '011-222-3333');
    await page.fill('[data-testid=d1-postal-code]', '0600001');
    await page.waitForFunction(() => document.querySelector('[data-testid=d1-address]').value.includes('北海道'));
    await page.fill('[data-testid=d1-address]', (await page.inputValue('[data-testid=d1-address]')) + '2-1');
    await page.fill('[data-testid=d1-requested-date]', '2027-01-10');
    await page.selectOption('[data-testid=d1-time-band]', '14-16');
    await page.fill('[data-testid=d1-q-GOODS-TEA]', '3');
    await page.check('[data-testid=pay-cod]');

    assert.ok(await fits(page), 'the cart does not scroll sideways');
    for (const r of await radiosBesideLabels(page)) {
      assert.ok(r.sameRow && r.gap >= 0 && r.gap < 24, `radio beside 「${r.label}」: ${JSON.stringify(r)}`);
    }
    const bank = page.locator('label.radio', { hasText: '銀行振込' });
    const lineHeight = await bank.evaluate((l) => parseFloat(getComputedStyle(l).lineHeight) || 24);
    assert.ok((await bank.evaluate((l) => l.getBoundingClientRect().height)) < Math.max(2 * lineHeight, 48), '銀行振込 on one line');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, `${vp}-ui-shop-cart`);

    await page.getByTestId('to-confirm').click();
    await page.getByTestId('confirm-dest-2').waitFor();
    assert.equal((await page.getByTestId('recipient-2').innerText()).trim(), '北 ハナ（キタ ハナ）');
    assert.match(await page.getByTestId('confirm-address-2').innerText(), /北海道札幌市中央区.*2-1/);
    assert.equal((await page.getByTestId('buyer-kana').innerText()).trim(), 'ヤマダ ハナコ');
    assert.equal((await page.getByTestId('buyer-phone').innerText()).trim(), '09012345678');
    assert.ok(await page.getByTestId('tax-10').isVisible());
    assert.ok(await page.getByTestId('tax-8').isVisible());
    assert.ok(await page.getByTestId('cod-fee').isVisible());
    assert.ok(await fits(page), 'the confirmation does not scroll sideways');
    const amount = (await page.getByTestId('amount').innerText()).trim();
    await shot(page, `${vp}-ui-shop-confirm`);

    await page.getByTestId('place-order').click();
    await page.getByTestId('placed').waitFor();
    assert.equal((await page.getByTestId('amount').innerText()).trim(), amount, 'the order charges what was confirmed');
    assert.equal(await page.locator('[data-testid^=parcel-]').count(), 2, 'two parcels');
    await shot(page, `${vp}-shop-placed`);
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

for (const vp of ['desktop', 'phone']) {
  test(`${vp}: the back office's radios sit beside their labels (物販の設定, 出荷データ一括登録, 決済設定)`, async () => {
    const ctx = await browser.newContext({ ...VIEWPORTS[vp], locale: 'ja-JP' });
    const page = await ctx.newPage();
    const errors = consoleErrors(page);
    await login(page, 'demo1-admin', 'Demo1Admin');
    await page.waitForURL(`${BASE}/`);
    for (const path of ['/settings/goods', '/shipping/import', '/settings/payment']) {
      await page.goto(`${BASE}${path}`);
      const radios = await radiosBesideLabels(page);
      assert.ok(radios.length >= 2, `${path} has radios`);
      for (const r of radios) {
        assert.ok(r.sameRow && r.gap >= 0 && r.gap < 24, `${path}: radio beside 「${r.label}」: ${JSON.stringify(r)}`);
      }
      assert.ok(await fits(page), `${path} does not scroll sideways`);
    }
    await shot(page, `${vp}-ui-radios-payment-settings`);
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}
