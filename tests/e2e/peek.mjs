// Ad-hoc screenshots while developing (not a test: no .test.mjs suffix).
import { launch, VIEWPORTS, login } from './lib.mjs';
const base = process.env.BASE;
const [who, pass, ...paths] = process.argv.slice(2);
const browser = await launch();
for (const [vp, opts] of Object.entries(VIEWPORTS)) {
  const ctx = await browser.newContext(opts);
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.log('CONSOLE', page.url(), m.text()); });
  if (who !== '-') {
    await login(page, who, pass);
  }
  for (const p of paths) {
    await page.goto(`${base}${p}`);
    const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    const name = p.replace(/[^a-z0-9]+/gi, '_');
    console.log(vp, p, 'scrollWidth', w[0], 'innerWidth', w[1]);
    await page.screenshot({ path: `/tmp/shots/${vp}${name}.png`, fullPage: vp === 'phone' ? false : false });
  }
  await ctx.close();
}
await browser.close();
