// The door page on a phone: merchant staff redeem reservations by the camera (Chromium's fake
// camera plays a video of the customer's real e-ticket QR code, decoded in the page by the
// vendored jsQR) and by the typed 6-digit ID; a second scan and a ticket for another day are
// refused with their reasons.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE, VIEWPORTS, kippu, launch, launchWithCamera, login, qrVideo, shot, waitForMail, linkIn } from './lib.mjs';

/** Today and tomorrow in Japan, as YYYY-MM-DD. */
function jstDate(offsetDays = 0) {
  const d = new Date(Date.now() + 9 * 3600 * 1000 + offsetDays * 86400 * 1000);
  return d.toISOString().slice(0, 10);
}

/** A YYYY-MM-DD day as the screens show it: 2026/11/30(月). */
function shown(day) {
  const w = '日月火水木金土'[new Date(`${day}T00:00:00Z`).getUTCDay()];
  return `${day.replaceAll('-', '/')}(${w})`;
}

let token;
let seq = 0;
/** Books RSV-LUNCH through the API; returns the order and the customer's email. */
async function book(visitDate, party) {
  const email = `e2e-door-${Date.now()}-${seq++}@kippu.test`;
  const r = await fetch(`${BASE}/api/v1/orders`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      product_code: 'RSV-LUNCH', visit_date: visitDate, party_size: party, payment_method: 'card_capture', card_token: 'tok_visa',
      customer: { name: '門田 太一', kana: 'カドタ タイチ', email, phone: '090-1234-5678' },
    }),
  });
  const order = await r.json();
  assert.equal(r.status, 201, JSON.stringify(order));
  return { order, email };
}

let plain; // the usual browser
let camera; // a browser whose camera films the QR code
let qrBooking;
let typedBooking;
let tomorrowBooking;
const video = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kippu-door-')), 'qr.y4m');

before(async () => {
  token = kippu('token', 'create', '--merchant', 'DEMO1', '--name', 'e2e-door').trim().split('\n').pop().trim();
  plain = await launch();
  qrBooking = await book(jstDate(0), 2);
  typedBooking = await book(jstDate(0), 4);
  tomorrowBooking = await book(jstDate(1), 2);
  // The customer's real QR code, from the page the confirmation email links to.
  const mail = await waitForMail(qrBooking.email, 'ご注文ありがとうございます');
  const myUrl = linkIn(mail, '/my/tickets/');
  const ticket = qrBooking.order.tickets[0].ticket_number;
  const png = Buffer.from(await (await fetch(`${myUrl}/qr/${ticket}.png`)).arrayBuffer());
  assert.ok(png.length > 100, 'the QR image is served');
  await qrVideo(plain, png, video);
  camera = await launchWithCamera(video);
});
after(async () => { await camera?.close(); await plain?.close(); });

async function staffPhone(browser) {
  const ctx = await browser.newContext({ ...VIEWPORTS.phone, permissions: ['camera'] });
  const page = await ctx.newPage();
  await login(page, 'demo1-staff', 'Demo1Staff');
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/reservations/door`);
  return page;
}

test('the camera reads the e-ticket QR and the staff redeem it; a second scan is refused', async () => {
  const page = await staffPhone(camera);
  await page.getByTestId('door-camera').click();
  await page.getByTestId('door-found').waitFor({ timeout: 20000 });
  assert.equal(await page.getByTestId('door-visit').innerText(), shown(jstDate(0)));
  assert.equal(await page.getByTestId('door-party').innerText(), '2名');
  assert.match(await page.getByTestId('door-holder').innerText(), /門田 太一/);
  await shot(page, 'phone-door-found');
  await page.getByTestId('door-redeem').click();
  await page.getByTestId('door-done').waitFor();
  assert.match(await page.getByTestId('door-done-party').innerText(), /^2名$/);
  await shot(page, 'phone-door-done');
  // The same QR again: refused, saying when and by whom.
  await page.goto(`${BASE}/reservations/door`);
  await page.getByTestId('door-camera').click();
  await page.getByTestId('door-error').waitFor({ timeout: 20000 });
  const err = await page.getByTestId('door-error').innerText();
  assert.match(err, /すでに引き換え済みです/);
  assert.match(err, /demo1-staff/);
});

test('a typed 6-digit ID redeems with the party size of the day; tomorrow\'s ticket is refused', async () => {
  const page = await staffPhone(plain);
  await page.getByTestId('door-code').fill(typedBooking.order.eticket_id);
  await page.getByTestId('door-lookup').click();
  await page.getByTestId('door-found').waitFor();
  assert.equal(await page.getByTestId('door-party').innerText(), '4名');
  // One more guest than booked: seated from the day's stock (shown), paid for on site.
  assert.match(await page.getByTestId('door-day-left').innerText(), /^\d+名$/);
  await page.getByTestId('door-party-actual').fill('5');
  await page.getByTestId('door-redeem').click();
  await page.getByTestId('door-done').waitFor();
  assert.equal(await page.getByTestId('door-done-party').innerText(), '5名（予約4名）');
  assert.equal(await page.getByTestId('door-done-hint').innerText(), '追加人数分は現地でお会計してください（1名）');

  await page.goto(`${BASE}/reservations/door`);
  await page.getByTestId('door-code').fill(typedBooking.order.eticket_id);
  await page.getByTestId('door-lookup').click();
  assert.match(await page.getByTestId('door-error').innerText(), /すでに引き換え済みです/);

  await page.getByTestId('door-code').fill(tomorrowBooking.order.eticket_id);
  await page.getByTestId('door-lookup').click();
  assert.equal(
    await page.getByTestId('door-error').innerText(),
    `このチケットの来店日は ${shown(jstDate(1))} です（本日は引き換えできません）`,
  );
  await shot(page, 'phone-door-wrong-day');

  // The order page shows the door's outcome.
  await page.goto(`${BASE}/orders/${typedBooking.order.order_number}`);
  assert.match(await page.getByTestId('door-state').innerText(), /引き換え済み .*（来店5名）/);
});

test('the day\'s reservation list on a phone shows who came and who is still to come', async () => {
  const page = await staffPhone(plain);
  await page.goto(`${BASE}/reservations/bookings`);
  await page.getByTestId('bookings-today').click();
  await page.getByTestId('bookings').waitFor();
  const typed = typedBooking.order.order_number;
  assert.match(await page.getByTestId(`door-${typed}`).innerText(), /^引き換え済み .*（5名）$/);
  assert.equal(await page.locator(`tr[data-order="${tomorrowBooking.order.order_number}"]`).count(), 0, 'tomorrow is not today');
  // Rows collapse into labelled blocks on a phone: nothing scrolls sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `no horizontal scroll (${overflow}px)`);
  const came = Number(await page.getByTestId('people-came').innerText());
  assert.ok(came >= 5, `people who came today include the party of 5 (${came})`);
  await shot(page, 'phone-bookings-today');
});
