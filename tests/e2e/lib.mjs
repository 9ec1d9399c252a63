// Shared helpers for kippu's browser tests.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const BASE = process.env.KIPPU_E2E_BASE ?? 'http://127.0.0.1:8080';
export const SHOTS = process.env.KIPPU_E2E_SCREENSHOTS ?? 'target/e2e-screenshots';

export const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

export async function launch() {
  return chromium.launch({
    executablePath: process.env.KIPPU_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** A browser whose fake camera plays the Y4M video `video` (see `qrVideo`). */
export async function launchWithCamera(video) {
  return chromium.launch({
    executablePath: process.env.KIPPU_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`,
    ],
  });
}

/**
 * Writes a Y4M video (what Chromium's fake camera plays) of `png`: the QR image is drawn
 * centred on white in a real browser canvas, and its luminance becomes the Y plane.
 */
export async function qrVideo(browser, png, file) {
  const page = await (await browser.newContext()).newPage();
  const [w, h] = [640, 480];
  const luma = await page.evaluate(async ({ b64, w, h }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = w; c.height = h;
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    const side = Math.min(w, h) - 60;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(img, (w - side) / 2, (h - side) / 2, side, side);
    const d = ctx.getImageData(0, 0, w, h).data;
    const y = new Array(w * h);
    for (let i = 0; i < w * h; i++) y[i] = Math.round(0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2]);
    return y;
  }, { b64: png.toString('base64'), w, h });
  await page.close();
  const frame = Buffer.concat([
    Buffer.from('FRAME\n'),
    Buffer.from(luma),
    Buffer.alloc((w / 2) * (h / 2) * 2, 128),
  ]);
  const frames = Array.from({ length: 10 }, () => frame);
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`), ...frames]));
}

/**
 * Collects what the page reports as broken: console errors (a refused inline style under the
 * CSP among them) and uncaught exceptions. Assert the list is empty after walking the pages.
 */
export function consoleErrors(page) {
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  return errors;
}

/** Runs the kippu binary against the e2e database and returns its stdout. */
export function kippu(...args) {
  return execFileSync(process.env.KIPPU_BIN, args, { env: process.env, encoding: 'utf8' });
}

/** Creates an account with `kippu user create` and returns its initial password. */
export function createUser(role, merchant, login, email = '') {
  const args = ['user', 'create', '--role', role, '--login', login];
  if (merchant) args.push('--merchant', merchant);
  if (email) args.push('--email', email);
  const out = kippu(...args);
  const line = out.split('\n').find((l) => l.startsWith('initial password: '));
  if (!line) throw new Error(`no initial password in: ${out}`);
  return line.slice('initial password: '.length).trim();
}

export async function shot(page, name, fullPage = true) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

export async function login(page, loginId, password) {
  await page.goto(`${BASE}/login`);
  await page.fill('input[name=login_id]', loginId);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit].primary');
}

/** Waits for a mail to `to` (whose subject matches `subject`, if given) at the test SMTP server. */
export async function waitForMail(to, subject) {
  const dir = process.env.KIPPU_TEST_SMTP_SINK;
  if (!dir) throw new Error('KIPPU_TEST_SMTP_SINK is not set: run through ./scripts/test');
  for (let i = 0; i < 200; i++) {
    // Newest first: the sink also holds the integration suite's mail, whose order numbers can
    // repeat this server's (every fresh database numbers from the same demo data).
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().reverse()) {
      const m = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      if (m.to === to && (!subject || m.subject.includes(subject))) return m;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to}${subject ? ` with "${subject}"` : ''} arrived`);
}

/** The first URL in a mail body that contains `part`. */
export function linkIn(mail, part) {
  const m = mail.body.match(new RegExp(`https?://\\S*${part}\\S*`));
  if (!m) throw new Error(`no ${part} link in: ${mail.body}`);
  return m[0];
}
