// The admin shell in a real browser: forced password change, language switch, every menu
// entry, on a desktop and on a 375 px phone; a demo login; a password reset by email.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, VIEWPORTS, launch, consoleErrors, createUser, login, shot, waitForMail } from './lib.mjs';

const MENU_JA = ['ウェブチケット受注管理', '予約・引き換え', '出荷', '代理注文管理', '電子チケット利用実績', '精算管理', '設定'];
const MENU_EN = ['Web-ticket orders', 'Reservations & redemption', 'Shipping', 'Proxy orders', 'E-ticket usage', 'Settlements', 'Settings'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function openMenu(page, phone) {
  if (phone) {
    const nav = page.locator('nav.main-nav');
    if (!(await nav.isVisible())) await page.click('[data-testid=nav-toggle]');
    await nav.waitFor({ state: 'visible' });
  }
}

for (const [name, options] of Object.entries(VIEWPORTS)) {
  const phone = name === 'phone';

  test(`${name}: first login forces a password change, then every menu entry opens in both languages`, async () => {
    const ctx = await browser.newContext({ ...options, locale: 'ja-JP' });
    const page = await ctx.newPage();
    const errors = consoleErrors(page);
    const loginId = `e2e-${name}-${Date.now()}`;
    const initial = createUser('merchant_admin', 'DEMO1', loginId);

    await login(page, loginId, initial);
    await page.waitForURL(`${BASE}/password/change`);
    await page.getByTestId('forced-change').waitFor();
    // Before anything else: another page sends us back.
    await page.goto(`${BASE}/orders`);
    assert.equal(new URL(page.url()).pathname, '/password/change');

    await page.fill('input[name=new_password]', 'abcdefgh');
    await page.fill('input[name=confirm_password]', 'abcdefgh');
    await page.click('button.primary');
    const err = await page.getByTestId('pw-error').innerText();
    assert.match(err, /数字を含めてください/);
    assert.match(err, /英大文字を含めてください/);

    await page.fill('input[name=new_password]', 'E2eStrong123');
    await page.fill('input[name=confirm_password]', 'E2eStrong123');
    await page.click('button.primary');
    await page.waitForURL(`${BASE}/`);
    // The refused weak password above answered 422 on purpose; from here nothing may fail.
    errors.length = 0;
    if (phone) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
    }

    for (const [labels, lang] of [[MENU_JA, 'ja'], [MENU_EN, 'en']]) {
      if (lang === 'en') {
        await page.click('[data-testid=lang-toggle]');
        await page.waitForFunction(() => document.documentElement.lang === 'en');
      }
      for (const label of labels) {
        await openMenu(page, phone);
        await page.locator('nav.main-nav a', { hasText: label }).first().click();
        await page.waitForLoadState('domcontentloaded');
        const title = await page.getByTestId('page-title').innerText();
        assert.equal(title.trim(), label, `page title for ${label}`);
        const current = await page.locator('nav.main-nav a[aria-current=page]').innerText();
        assert.equal(current.trim(), label, `${label} is highlighted`);
        if (phone) {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 1, `${label}: no horizontal scrolling (overflow ${overflow}px)`);
        }
      }
      await shot(page, `${name}-${lang}-settings`);
    }
    // The choice is remembered across pages and reloads.
    await page.goto(`${BASE}/orders`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await shot(page, `${name}-en-orders`);
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.documentElement.lang === 'ja');

    // Password change from the menu under the account name, then log out.
    await page.click('[data-testid=account-menu] summary');
    await page.getByRole('link', { name: 'パスワード変更' }).click();
    await page.waitForURL(`${BASE}/password/change`);
    assert.equal(await page.locator('input[name=current_password]').count(), 1);
    await page.click('[data-testid=account-menu] summary');
    // htmx's own page: the outbox refreshes itself, under the same CSP.
    await page.goto(`${BASE}/settings/outbox`);
    await page.waitForTimeout(300);
    await page.click('[data-testid=account-menu] summary');
    await page.click('[data-testid=logout]');
    await page.waitForURL(`${BASE}/login`);
    assert.deepEqual(errors, [], 'no console error or CSP violation on any page');
    await ctx.close();
  });
}

test('desktop: a demo merchant logs in and sees its own customers only', async () => {
  const ctx = await browser.newContext(VIEWPORTS.desktop);
  const page = await ctx.newPage();
  await login(page, 'demo1-admin', 'Demo1Admin');
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/proxy/customers`);
  const text = await page.locator('main').innerText();
  assert.match(text, /山田 花子/);
  assert.doesNotMatch(text, /鈴木 一郎/);
  await shot(page, 'desktop-ja-customers');
  await ctx.close();
});

test('phone: the lockout message appears after five failures', async () => {
  const ctx = await browser.newContext(VIEWPORTS.phone);
  const page = await ctx.newPage();
  for (let i = 0; i < 5; i++) await login(page, 'e2e-nobody', 'Wrong1234');
  const msg = await page.getByTestId('login-error').innerText();
  assert.match(msg, /ロックされています/);
  await ctx.close();
});

test('desktop: password reset through the emailed link', async () => {
  const email = `e2e-reset-${Date.now()}@kippu.test`;
  const loginId = `e2e-reset-${Date.now()}`;
  createUser('merchant_staff', 'DEMO2', loginId, email);
  const ctx = await browser.newContext(VIEWPORTS.desktop);
  const page = await ctx.newPage();
  await page.goto(`${BASE}/login`);
  await page.click('a[href="/password/reset"]');
  await page.fill('input[name=login_id]', loginId);
  await page.click('button.primary');
  await page.getByTestId('reset-sent').waitFor();
  const mail = await waitForMail(email);
  const link = mail.body.match(/https?:\/\/\S+\/password\/reset\/\S+/)[0];
  await page.goto(link);
  await page.fill('input[name=new_password]', 'ResetMe2026');
  await page.fill('input[name=confirm_password]', 'ResetMe2026');
  await page.click('button.primary');
  await page.getByTestId('message').waitFor();
  await login(page, loginId, 'ResetMe2026');
  await page.waitForURL(`${BASE}/`);
  await ctx.close();
});
