// The pages each kind of user reaches by following links from home (breadth first, one page of
// each list, up to 80 per user), on a desktop and a 375 px phone: nothing scrolls sideways,
// nothing logs a console error or breaks the CSP, and on the phone every control a finger uses
// (buttons, button links, fields, checkboxes with their label, the menu) is at least 44 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, VIEWPORTS, launch, consoleErrors, login } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Links that leave the walk: downloads, actions behind GET, the language toggle, other sites. */
function walkable(href) {
  let u;
  try { u = new URL(href, BASE); } catch { return null; }
  if (u.origin !== new URL(BASE).origin) return null;
  const p = u.pathname;
  if (/\.(csv|pdf|png|svg|js|css|webmanifest)$/.test(p) || p.startsWith('/static') || p.startsWith('/api')) return null;
  if (p === '/logout' || p === '/lang') return null;
  u.hash = '';
  // One page of each list is enough: the pager's other pages repeat its layout.
  u.searchParams.delete('page');
  return u.toString();
}

/** What on the page is too wide or too small; empty when the page is fine. */
async function problems(page, phone) {
  return page.evaluate((phone) => {
    const out = [];
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 1) {
      const wide = [...document.querySelectorAll('main *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 3)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
      out.push(`scrolls sideways by ${overflow}px (${wide.join(', ')})`);
    }
    if (!phone) return out;
    const visible = (e) => {
      const r = e.getBoundingClientRect();
      const s = getComputedStyle(e);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const controls = [
      ...document.querySelectorAll('button, a.button, select, input:not([type=hidden]), textarea, nav.main-nav a, summary'),
    ].filter(visible);
    for (const c of controls) {
      // A checkbox or radio is tapped through its label.
      const target = (c.type === 'checkbox' || c.type === 'radio') ? (c.closest('label') ?? c) : c;
      const r = target.getBoundingClientRect();
      if (r.height < 43.5 || r.width < 43.5) {
        out.push(`${c.tagName.toLowerCase()}[${c.name || c.textContent.trim().slice(0, 20)}] is ${Math.round(r.width)}×${Math.round(r.height)}px`);
      }
    }
    return out;
  }, phone);
}

/** Walks every page reachable from `start` and the `seeds` (same site, GET links), up to `limit`
 * pages; the seeds are walked first, so the newest screens are always among them. */
async function walk(page, start, seeds = [], limit = 80) {
  const seen = new Set();
  const queue = [walkable(start), ...seeds.map((s) => walkable(s))];
  const found = {};
  const phone = page.viewportSize().width < 500;
  while (queue.length && seen.size < limit) {
    const url = queue.shift();
    if (!url || seen.has(url)) continue;
    seen.add(url);
    const r = await page.goto(url);
    assert.ok(r.status() < 500, `${url} answered ${r.status()}`);
    const bad = await problems(page, phone);
    if (bad.length) found[url] = bad;
    for (const href of await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')))) {
      const next = walkable(new URL(href, url).toString());
      if (next && !seen.has(next)) queue.push(next);
    }
  }
  return { seen, found };
}

const WHO = [
  ['merchant admin', 'demo1-admin', 'Demo1Admin', '/'],
  ['platform operator', 'operator', 'Operator2026', '/'],
  ['buyer', null, null, '/shop/DEMO1'],
];

/** Screens each user must reach in the walk, whatever the breadth-first order finds first. */
const SEEDS = {
  'merchant admin': ['/callcenter', '/callcenter?customer=1', '/callcenter/order?customer=1', '/callcenter/subscriptions?customer=1', '/callcenter/orders?customer=1', '/callcenter/interactions?customer=1', '/callcenter/notes?customer=1', '/callcenter/rejected', '/callcenter/settings', '/callcenter/settings/fraud', '/callcenter/cards?customer=1', '/proxy/courses', '/shipping/orders?tab=unpaid', '/proxy/customers', '/proxy/customers/new', '/proxy/coupons', '/proxy/coupons/new', '/proxy/adcodes', '/proxy/adcodes/new', '/settings/goods', '/settings/payment', '/shipping/points'],
  'platform operator': ['/platform/bank-account'],
  buyer: [],
};

/** 受注編集 of an order still unpaid (the demo has unpaid goods orders). */
async function editPage(page) {
  await page.goto(`${BASE}/shipping/orders?tab=unpaid`);
  const n = await page.locator('tr[data-order]').first().getAttribute('data-order');
  return `/shipping/orders/${n}/edit`;
}

for (const [vp, options] of Object.entries(VIEWPORTS)) {
  for (const [who, loginId, password, start] of WHO) {
    for (const lang of ['ja', 'en']) {
      test(`${vp}, ${who}, ${lang}: every page fits, logs no error and has big enough controls`, async () => {
        const ctx = await browser.newContext({ ...options, locale: 'ja-JP' });
        const page = await ctx.newPage();
        const errors = consoleErrors(page);
        if (loginId) {
          await login(page, loginId, password);
          await page.waitForURL(`${BASE}/`);
        }
        if (lang === 'en') {
          // The toggle itself is shell.test's; the walk only needs the language it leaves behind.
          await ctx.addCookies([{ name: 'kippu_lang', value: 'en', url: BASE }]);
          await page.goto(`${BASE}${start}`);
          assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
        }
        const seeds = [...SEEDS[who]];
        if (who === 'merchant admin') seeds.unshift(await editPage(page));
        const { seen, found } = await walk(page, `${BASE}${start}`, seeds.map((s) => `${BASE}${s}`));
        for (const s of seeds) assert.ok(seen.has(walkable(`${BASE}${s}`)), `the walk reached ${s}`);
        assert.ok(seen.size >= (loginId ? 10 : 3), `walked ${seen.size} pages`);
        console.log(`${vp}, ${who}, ${lang}: ${seen.size} pages`);
        assert.deepEqual(found, {}, 'pages that scroll sideways or have small controls');
        assert.deepEqual(errors, [], 'no console error or CSP violation on any page');
        await ctx.close();
      });
    }
  }
}
