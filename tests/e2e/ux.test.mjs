// The merchant's everyday screens as docs/ui.md describes them, on a desktop and a 375 px phone:
// the work queue's counts are what its lists show; the list finds a phone typed without hyphens
// and furigana typed in hiragana; a form with three bad fields shows three messages beside them;
// an action ends with a flash and its undo; the door reads an ID typed with the Japanese IME and
// is not locked for a valid ID after five typos. The screenshots of docs/ui.md come from here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, VIEWPORTS, kippu, launch, consoleErrors, login, shot } from './lib.mjs';

let browser;
let token;
before(async () => {
  browser = await launch();
  token = kippu('token', 'create', '--merchant', 'DEMO1', '--name', 'e2e-ux').trim().split('\n').pop().trim();
});
after(async () => { await browser?.close(); });

/** Today in Japan, as YYYY-MM-DD. */
function jstToday() {
  return new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
}

let seq = 0;
async function api(body) {
  const r = await fetch(`${BASE}/api/v1/orders`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const o = await r.json();
  assert.equal(r.status, 201, JSON.stringify(o));
  return o;
}

function customer() {
  return { name: '髙橋 美咲', kana: 'タカハシ ミサキ', email: `e2e-ux-${Date.now()}-${seq++}@kippu.test`, phone: '070-5555-6666' };
}

async function merchantPage(vp) {
  const ctx = await browser.newContext({ ...VIEWPORTS[vp], locale: 'ja-JP' });
  const page = await ctx.newPage();
  const errors = consoleErrors(page);
  await login(page, 'demo1-admin', 'Demo1Admin');
  await page.waitForURL(`${BASE}/`);
  return { ctx, page, errors };
}

/** The number a list says it holds. */
async function listTotal(page) {
  const total = page.locator('[data-testid=list-total], [data-testid=bookings-total]').first();
  return (await total.innerText()).trim();
}

for (const vp of ['desktop', 'phone']) {
  test(`${vp}: every count of the work queue is what the list it opens shows`, async () => {
    await api({ product_code: 'WT-BASIC', quantity: 1, payment_method: 'bank_store', customer: customer() });
    await api({ product_code: 'RSV-LUNCH', visit_date: jstToday(), party_size: 2, payment_method: 'card_capture', card_token: 'tok_visa', customer: customer() });
    const { ctx, page, errors } = await merchantPage(vp);
    const cards = page.locator('[data-testid=work-queue] a');
    const n = await cards.count();
    assert.ok(n >= 9, `the merchant's queue has its nine counts (${n})`);
    await shot(page, `${vp}-ui-work-queue`, false);
    for (let i = 0; i < n; i++) {
      await page.goto(`${BASE}/`);
      const card = page.locator('[data-testid=work-queue] a').nth(i);
      const label = (await card.locator('.queue-label').innerText()).trim();
      const count = (await card.locator('.queue-count').innerText()).trim();
      await card.click();
      await page.waitForLoadState('domcontentloaded');
      assert.equal(await listTotal(page), count, `${label}: the home page said ${count}`);
    }
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test(`${vp}: the order list finds 07055556666 and やまだ as typed, and is a labelled table or cards`, async () => {
    const { ctx, page, errors } = await merchantPage(vp);
    const search = async (field, value) => {
      await page.goto(`${BASE}/orders`);
      if (vp === 'phone') await page.getByTestId('search-toggle').click();
      await page.fill(`form.search input[name=${field}]`, value);
      await page.getByTestId('search').click();
      await page.waitForLoadState('domcontentloaded');
      return Number((await listTotal(page)).replace(/,/g, ''));
    };
    const hyphenated = await search('phone', '070-5555-6666');
    assert.ok(hyphenated > 0, 'the demo has orders of 070-5555-6666');
    assert.equal(await search('phone', '07055556666'), hyphenated, 'the same orders without hyphens');
    assert.equal(await search('phone', '０７０５５５５６６６６'), hyphenated, 'and in full-width digits');
    const katakana = await search('name', 'ヤマダ');
    assert.ok(katakana > 0);
    assert.equal(await search('name', 'やまだ'), katakana, 'furigana typed in hiragana');
    if (vp === 'phone') {
      // The active search shows as a chip; its × removes it.
      const chip = page.locator('[data-testid=active-filters] li').first();
      assert.match(await chip.innerText(), /やまだ/);
      await shot(page, 'phone-ui-card', false);
      await page.getByTestId('chip-remove-name').click();
      await page.waitForLoadState('domcontentloaded');
      assert.equal(await page.locator('[data-testid=active-filters]').count(), 0);
    } else {
      const headers = await page.locator('table.orders-table thead th').allInnerTexts();
      for (const h of ['受注番号', '注文者', '受注金額', 'ステータス', '受注キャンセル']) {
        assert.ok(headers.some((t) => t.includes(h)), `a column headed ${h}`);
      }
      const align = await page.locator('table.orders-table td.amount').first().evaluate((td) => getComputedStyle(td).textAlign);
      assert.equal(align, 'right', 'amounts are right-aligned');
      assert.match(await page.locator('tr[data-order] td.head-cell small').first().innerText(), /^\d{4}\/\d{2}\/\d{2}\([日月火水木金土]\) \d{2}:\d{2}$/);
      await shot(page, 'desktop-ui-list', false);
    }
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test(`${vp}: a form with three bad fields shows three messages, each beside its field, and keeps the input`, async () => {
    const ctx = await browser.newContext({ ...VIEWPORTS[vp], locale: 'ja-JP' });
    const page = await ctx.newPage();
    await page.goto(`${BASE}/shop/DEMO1/WT-BASIC`);
    await page.fill('input[name=quantity]', '１');
    await page.fill('input[name=name]', '山田 花子');
    await page.fill('input[name=kana]', 'yamada');
    await page.fill('input[name=email]', 'hanako-at-example');
    await page.fill('input[name=phone]', '12');
    await page.getByTestId('to-confirm').click();
    await page.getByTestId('form-errors').waitFor();
    assert.equal(await page.locator('.field-error').count(), 3);
    for (const f of ['kana', 'email', 'phone']) {
      const beside = page.locator(`label:has(input[name=${f}]) .field-error`);
      assert.ok((await beside.innerText()).length > 0, `${f} says what to type`);
    }
    assert.equal(await page.inputValue('input[name=email]'), 'hanako-at-example');
    await shot(page, `${vp}-ui-form-errors`, vp === 'phone');
    await ctx.close();
  });
}

test('desktop: marking paid ends with a flash saying what changed and the undo', async () => {
  const o = await api({ product_code: 'WT-BASIC', quantity: 1, payment_method: 'bank_store', customer: customer() });
  const { ctx, page, errors } = await merchantPage('desktop');
  await page.goto(`${BASE}/orders/${o.order_number}/do/mark-paid`);
  await page.getByTestId('confirm').click();
  await page.waitForURL(`${BASE}/orders/${o.order_number}`);
  assert.equal((await page.getByTestId('flash-message').innerText()).trim(), `${o.order_number}: 未入金 → 送信待ち（入金済みに変更）`);
  await shot(page, 'desktop-ui-flash', false);
  await page.getByTestId('flash-undo').click();
  await page.getByTestId('confirm').click();
  await page.waitForURL(`${BASE}/orders/${o.order_number}`);
  assert.match(await page.getByTestId('flash-message').innerText(), /送信待ち → 未入金/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('phone: the door reads ５１４４５９-style IDs and five typos never refuse a valid ID', async () => {
  const booking = await api({ product_code: 'RSV-LUNCH', visit_date: jstToday(), party_size: 2, payment_method: 'card_capture', card_token: 'tok_visa', customer: customer() });
  const { ctx, page, errors } = await merchantPage('phone');
  const lookUp = async (code) => {
    await page.goto(`${BASE}/reservations/door`);
    await page.fill('[data-testid=door-code]', code);
    await page.getByTestId('door-lookup').click();
    await page.waitForLoadState('domcontentloaded');
  };
  const fullWidth = [...booking.eticket_id].map((d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).join('');
  await lookUp(fullWidth);
  await page.getByTestId('door-found').waitFor();
  const typos = ['900001', '900002', '900003', '900004', '900005'].filter((c) => c !== booking.eticket_id);
  for (const typo of typos) await lookUp(typo);
  await lookUp('900006');
  assert.match(await page.getByTestId('door-error').innerText(), /\d{2}:\d{2}まで/, 'the lock says when it ends');
  await shot(page, 'phone-ui-door-locked', false);
  await lookUp(booking.eticket_id);
  await page.getByTestId('door-redeem').click();
  await page.getByTestId('door-done').waitFor();
  assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), []);
  await ctx.close();
});

test('phone: typing a postal code fills the address from the shipped table', async () => {
  const { ctx, page, errors } = await merchantPage('phone');
  await page.goto(`${BASE}/proxy/customers`);
  await page.locator('main a[href^="/proxy/customers/"]').first().click();
  await page.getByTestId('address').fill('');
  await page.getByTestId('postal-code').fill('');
  await page.getByTestId('postal-code').pressSequentially('１０００００１');
  await page.waitForFunction(() => document.querySelector('[data-testid=address]').value !== '');
  assert.equal(await page.inputValue('[data-testid=address]'), '東京都千代田区千代田');
  assert.deepEqual(errors, []);
  await ctx.close();
});
