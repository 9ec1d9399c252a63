// Electronic vouchers on phones: a holder scans a store's QR code through the fake camera and
// pays; another pays by the 6-digit passcode; the merchant sees both at once in 利用実績 and
// cancels one with a memo; the holder's balance shows it, the daily and monthly totals and the
// period's settlement leave it out; 24 hours later (a second server on KIPPU_FAKE_NOW) the
// 【取消】 button is gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE, VIEWPORTS, kippu, launch, launchWithCamera, login, qrVideo, shot } from './lib.mjs';

function json(...args) {
  return JSON.parse(kippu(...args, '--json').trim().split('\n').pop());
}

/** Today in Japan, YYYY-MM-DD. */
function jstDate(offsetHours = 0) {
  return new Date(Date.now() + (9 + offsetHours) * 3600 * 1000).toISOString().slice(0, 10);
}

let plain;
let camera;
let terminal;
let scanner; // the holder who scans
let typer; // the holder who types the passcode
const video = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kippu-voucher-')), 'qr.y4m');

before(async () => {
  const store = `E2E${Date.now() % 100000}`;
  json('voucher', 'store', 'add', '--merchant', 'DEMO2', '--code', store, '--name', 'みなと食堂 e2e店');
  terminal = json('voucher', 'terminal', 'add', '--merchant', 'DEMO2', '--store', store, '--name', 'レジe2e');
  scanner = json('voucher', 'grant', '--program', 'KASHIWA', '--holder-name', 'e2e スキャン', '--amount', '5000');
  typer = json('voucher', 'grant', '--program', 'KASHIWA', '--holder-name', 'e2e パスコード', '--amount', '5000');
  plain = await launch();
  // The store's QR code as the merchant downloads it beside the QR台紙.
  const ctx = await plain.newContext();
  const page = await ctx.newPage();
  await login(page, 'demo2-admin', 'Demo2Admin');
  await page.waitForURL(`${BASE}/`);
  const png = Buffer.from(await (await page.request.get(`${BASE}/settings/terminals/${terminal.terminal}.png`)).body());
  assert.ok(png.length > 100, 'the QR image is served');
  await ctx.close();
  await qrVideo(plain, png, video);
  camera = await launchWithCamera(video);
});
after(async () => { await camera?.close(); await plain?.close(); });

async function phone(browser) {
  const ctx = await browser.newContext({ ...VIEWPORTS.phone, permissions: ['camera'] });
  return ctx.newPage();
}

async function noSidewaysScroll(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${page.url()} scrolls sideways by ${overflow}px`);
}

async function payOnConfirm(page, amount) {
  await page.getByTestId('voucher-store').waitFor({ timeout: 20000 });
  assert.equal(await page.getByTestId('voucher-store').innerText(), 'みなと食堂 e2e店');
  await page.getByTestId('voucher-amount').fill(String(amount));
  await page.getByTestId('voucher-confirm').click();
  await page.getByTestId('voucher-receipt').waitFor();
  await noSidewaysScroll(page);
  const number = (await page.getByTestId('receipt-number').innerText()).trim();
  assert.match(number, /^[A-Za-z0-9]{16}$/);
  return number;
}

/** The current period's 支払金額 so far (見込み) on 精算管理: the newest line of the year. */
async function merchantPeriod(page) {
  await page.goto(`${BASE}/vouchers/settlement`);
  const cell = page.locator('[data-program="KASHIWA"] tr[data-period] td.num').first();
  return Number((await cell.innerText()).split('円')[0].replace(/[^0-9]/g, ''));
}

async function merchantDaily(page) {
  await page.goto(`${BASE}/vouchers/daily?from=${jstDate()}&to=${jstDate()}`);
  // A day without payments shows no table at all.
  if (await page.getByTestId('total-amount').count() === 0) return 0;
  return Number((await page.getByTestId('total-amount').innerText()).replace(/[^0-9]/g, ''));
}

let scanned;
let typed;

test('a holder pays by scanning the QR code, another by the passcode, and the merchant cancels one', async () => {
  const merchant = await phone(plain);
  await login(merchant, 'demo2-admin', 'Demo2Admin');
  await merchant.waitForURL(`${BASE}/`);
  const dailyBefore = await merchantDaily(merchant);
  const periodBefore = await merchantPeriod(merchant);

  const a = await phone(camera);
  await a.goto(`${BASE}/v/${scanner.token}`);
  assert.equal(await a.getByTestId('voucher-balance').innerText(), '5,000円');
  await noSidewaysScroll(a);
  await a.getByTestId('voucher-pay').click();
  await a.getByTestId('voucher-camera').click();
  scanned = await payOnConfirm(a, 1200);
  await shot(a, 'phone-voucher-receipt');

  const b = await phone(plain);
  await b.goto(`${BASE}/v/${typer.token}`);
  await b.getByTestId('voucher-pay').click();
  await b.getByTestId('voucher-passcode').fill(terminal.passcode);
  await b.getByTestId('voucher-passcode-next').click();
  typed = await payOnConfirm(b, 800);

  // The merchant sees both at once.
  await merchant.goto(`${BASE}/vouchers/payments?store_code=${terminal.store_code}`);
  await noSidewaysScroll(merchant);
  assert.match(await merchant.getByTestId('hits').innerText(), /該当件数2件のうち2件/);
  await shot(merchant, 'phone-voucher-records');
  await merchant.locator(`[data-testid="cancel-${scanned}"] a`).click();
  await merchant.getByTestId('cancel-memo').fill('金額の打ち間違い');
  await merchant.getByTestId('cancel-run').click();
  await merchant.waitForURL((u) => u.pathname === '/vouchers/payments');
  assert.match(await merchant.getByTestId(`cancel-${scanned}`).innerText(), /^取消済 /);
  assert.ok(await merchant.locator(`[data-testid="cancel-${typed}"] a`).isVisible(), 'the other one can still be cancelled');

  // The holder's balance and history show it.
  await a.goto(`${BASE}/v/${scanner.token}`);
  assert.equal(await a.getByTestId('voucher-balance').innerText(), '5,000円');
  assert.match(await a.getByTestId('voucher-history').innerText(), /取消（返還）/);

  // The totals leave it out: today's total grew by the 800円 only.
  assert.equal(await merchantDaily(merchant), dailyBefore + 800);
  await merchant.goto(`${BASE}/vouchers/monthly`);
  await noSidewaysScroll(merchant);
  assert.equal(await merchantPeriod(merchant), periodBefore + 800, 'the period\'s settlement leaves the cancelled payment out');
  await noSidewaysScroll(merchant);
  const csv = await (await merchant.request.get(`${BASE}/vouchers/export.csv?from=${jstDate()}&to=${jstDate()}&store_code=${terminal.store_code}&exclude_cancelled=1&encoding=utf-8`)).text();
  assert.ok(csv.includes(typed) && !csv.includes(scanned), 'the export without cancelled payments');
});

test('24 hours later the 取消 button is gone', async () => {
  const port = 18000 + Math.floor(Math.random() * 1000);
  const later = new Date(Date.now() + 25 * 3600 * 1000).toISOString();
  const server = spawn(process.env.KIPPU_BIN, ['serve', '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, KIPPU_FAKE_NOW: later },
    stdio: 'ignore',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    const page = await phone(plain);
    await page.goto(`${base}/login`);
    await page.fill('input[name=login_id]', 'demo2-admin');
    await page.fill('input[name=password]', 'Demo2Admin');
    await page.click('button[type=submit].primary');
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/vouchers/payments?from=${jstDate()}T00:00&to=${jstDate(25)}T23:59&store_code=${terminal.store_code}`);
    assert.match(await page.getByTestId(`cancel-${scanned}`).innerText(), /^取消済 /);
    assert.equal(await page.locator(`[data-testid="cancel-${typed}"] a`).count(), 0, 'no 取消 after 24 hours');
  } finally {
    server.kill();
  }
});
