// End-to-end and accessibility suite for a built jiayuan site, in Debian's Chromium.
//
//   node tests/browser/run.mjs SITE_DIR [BASE_PATH] [--only WORD[,WORD…]]
//
// Serves SITE_DIR on 127.0.0.1 under BASE_PATH (default "/"), drives headless Chromium
// through playwright-core (never a downloaded browser), runs every scenario, prints one
// line per scenario and closes with "N passed, M failed"; exits 1 on any failure and 2
// when the suite cannot start. --only (or BROWSER_ONLY=…) keeps the scenarios whose name
// contains one of the words; the scenarios that find the pages always run.
// docs/browser-tests.md describes the suite.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SETUP_HINT = 'run `bash tests/setup.sh` (installs Chromium and this suite\'s npm packages)';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 1280, height: 800 },
];
const PHONE = VIEWPORTS[0];
const DESKTOP = VIEWPORTS[1];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const STEP_TIMEOUT = 15_000;
const RESULTS_TIMEOUT = 10_000;
// A4 in CSS pixels (96 per inch).
const MM = 96 / 25.4;
const A4 = { width: 210 * MM, height: 297 * MM };

// ---------------------------------------------------------------- arguments

function usage(message) {
  if (message) console.error(message);
  console.error('usage: node run.mjs SITE_DIR [BASE_PATH] [--only WORD[,WORD…]]');
  process.exit(2);
}

const positional = [];
let only = (process.env.BROWSER_ONLY || '').split(',').filter(Boolean);
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg === '--only') {
    only = (process.argv[++i] || '').split(',').filter(Boolean);
  } else if (arg.startsWith('--')) {
    usage(`unknown option ${arg}`);
  } else {
    positional.push(arg);
  }
}
if (positional.length < 1 || positional.length > 2) usage();
const SITE = path.resolve(positional[0]);
let BASE = positional[1] || '/';
if (!BASE.startsWith('/')) BASE = '/' + BASE;
if (!BASE.endsWith('/')) BASE += '/';
if (!fs.existsSync(path.join(SITE, 'index.html'))) usage(`${SITE} holds no index.html: build the site first`);

const require = createRequire(import.meta.url);
let chromium;
let AXE_SOURCE;
try {
  ({ chromium } = require('playwright-core'));
  AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
} catch (e) {
  console.error(`the browser suite's npm packages are missing (${e.code || e.message}): ${SETUP_HINT}`);
  process.exit(2);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: ${SETUP_HINT}`);
  process.exit(2);
}

const SHOTS = path.join(HERE, 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });
for (const f of fs.readdirSync(SHOTS)) {
  if (/\.(png|pdf)$/.test(f)) fs.rmSync(path.join(SHOTS, f));
}

// ---------------------------------------------------------------- static server

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.woff2': 'font/woff2',
};

// What the server answers for a URL path: a file (200), a folder without its slash (301),
// or nothing (404). Paths outside BASE are missing, as they would be on the real host.
function resolvePath(pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 404 };
  }
  if (!decoded.startsWith(BASE)) return { status: 404 };
  const file = path.resolve(SITE, '.' + path.sep + decoded.slice(BASE.length));
  if (file !== SITE && !file.startsWith(SITE + path.sep)) return { status: 404 };
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return { status: 404 };
  }
  if (stat.isDirectory()) {
    if (!decoded.endsWith('/')) return { status: 301, location: pathname + '/' };
    const index = path.join(file, 'index.html');
    return fs.existsSync(index) ? { status: 200, file: index } : { status: 404 };
  }
  return { status: 200, file };
}

const served = { count: 0 };
const server = http.createServer((req, res) => {
  served.count++;
  const url = new URL(req.url, 'http://127.0.0.1');
  const found = resolvePath(url.pathname);
  const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
  if (found.status === 301) {
    res.writeHead(301, { ...headers, Location: found.location + url.search });
    res.end();
    return;
  }
  let status = found.status;
  let file = found.file;
  if (status === 404) file = path.join(SITE, '404.html');
  let body;
  try {
    body = fs.readFileSync(file);
  } catch {
    body = Buffer.from('not found');
    file = 'missing.txt';
  }
  const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
  res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const ORIGIN = `http://127.0.0.1:${server.address().port}`;
const ROOT_URL = ORIGIN + BASE;

// ---------------------------------------------------------------- browser

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  // Playwright gives every launch a new temporary --user-data-dir and removes it on close.
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // Belt and braces behind the request guard below: only loopback resolves.
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
  ],
});

function isLoopback(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
  const h = u.hostname;
  return h === 'localhost' || h === '[::1]' || h === '::1' || /^127(\.\d+){3}$/.test(h);
}

// ---------------------------------------------------------------- scenarios

const scenarios = [];
function scenario(name, fn, { always = false } = {}) {
  scenarios.push({ name, fn, always });
}

let current = null; // the running scenario's record
const totals = { requests: 0, offsite: 0, consoleErrors: 0 };
const visitedLinks = new Map(); // same-origin URL without hash -> page that links to it

// Failures are kept once each, with a count when the same one comes back.
function fail(message) {
  const seen = current.failures.find((f) => f.message === message);
  if (seen) seen.count++;
  else current.failures.push({ message, count: 1 });
}
function expect(cond, message) {
  if (!cond) fail(message);
  return !!cond;
}

// A fresh context (so fresh storage) with the network guard and the console watch.
async function withPage(viewport, fn, { allowStatus = [] } = {}) {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'block',
  });
  context.setDefaultTimeout(STEP_TIMEOUT);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    totals.requests++;
    if (isLoopback(url)) return route.continue();
    totals.offsite++;
    fail(`request left loopback: ${route.request().method()} ${url}`);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location();
    const where = loc && loc.url ? ` (${shortUrl(loc.url)}${loc.lineNumber ? ':' + loc.lineNumber : ''})` : '';
    const text = msg.text();
    // A deliberate visit to a missing page logs its own 404; anything else counts.
    if (allowStatus.includes(404) && /status of 404/.test(text)) return;
    totals.consoleErrors++;
    fail(`console error on ${shortUrl(page.url())}: ${text}${where}`);
  });
  page.on('pageerror', (err) => {
    totals.consoleErrors++;
    fail(`uncaught exception on ${shortUrl(page.url())}: ${err.message}`);
  });
  page.on('response', (res) => {
    const status = res.status();
    if (status >= 400 && !allowStatus.includes(status)) {
      fail(`HTTP ${status} for ${shortUrl(res.url())} (${res.request().resourceType()}) on ${shortUrl(page.url())}`);
    }
  });
  try {
    return await fn(page);
  } finally {
    await context.close();
  }
}

function shortUrl(url) {
  return url.startsWith(ORIGIN) ? url.slice(ORIGIN.length) : url;
}

async function open(page, url, { status = 200 } = {}) {
  const res = await page.goto(url, { waitUntil: 'load' });
  if (!res) throw new Error(`no response for ${shortUrl(url)}`);
  expect(res.status() === status, `${shortUrl(url)} answered HTTP ${res.status()}, expected ${status}`);
  return res;
}

// Facts about the page that every scenario checks the same way.
async function pageFacts(page) {
  return page.evaluate(() => {
    const vis = (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += '#' + el.id;
      if (el.classList.length) s += '.' + [...el.classList].join('.');
      const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 30);
      return text ? `${s} “${text}”` : s;
    };
    const w = window.innerWidth;
    const sticking = [];
    if (document.documentElement.scrollWidth > w) {
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > w + 0.5 && r.width > 0) {
          // Report the outermost culprits only.
          if (!sticking.some((s) => s.el.contains(el))) sticking.push({ el, right: Math.round(r.right) });
        }
        if (sticking.length >= 5) break;
      }
    }
    const h1s = [...document.querySelectorAll('h1')].filter(vis);
    const landmarks = {
      main: document.querySelectorAll('main, [role="main"]').length,
      banner: [...document.querySelectorAll('header, [role="banner"]')].filter(
        (el) => el.getAttribute('role') === 'banner' ||
          !el.closest('article, aside, main, nav, section, [role="main"], [role="region"]')).length,
      navigation: document.querySelectorAll('nav, [role="navigation"]').length,
      contentinfo: [...document.querySelectorAll('footer, [role="contentinfo"]')].filter(
        (el) => el.getAttribute('role') === 'contentinfo' ||
          !el.closest('article, aside, main, nav, section, [role="main"], [role="region"]')).length,
    };
    const images = [...document.images].map((img) => ({
      src: img.getAttribute('src'),
      alt: img.getAttribute('alt'),
      broken: img.complete && img.naturalWidth === 0,
    }));
    const links = [...document.querySelectorAll('a[href]')].map((a) => a.href);
    return {
      title: document.title.trim(),
      lang: document.documentElement.lang,
      h1: h1s.map((h) => h.textContent.trim().replace(/\s+/g, ' ')),
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: w,
      sticking: sticking.map((s) => `${describe(s.el)} reaches ${s.right}px`),
      landmarks,
      images,
      links,
      text: document.body.innerText,
    };
  });
}

// The checks every page gets at every size; returns the facts for page-specific checks.
async function checkPage(page, label) {
  const f = await pageFacts(page);
  expect(f.title.length > 0, `${label}: empty <title>`);
  expect(/^zh(-CN)?$/i.test(f.lang), `${label}: <html lang="${f.lang}">, expected zh-CN`);
  expect(f.h1.length === 1, `${label}: ${f.h1.length} visible <h1> (${f.h1.join(' | ')}), expected exactly one`);
  for (const [role, n] of Object.entries(f.landmarks)) {
    expect(n >= 1, `${label}: no ${role} landmark`);
  }
  expect(f.landmarks.main === 1, `${label}: ${f.landmarks.main} main landmarks, expected one`);
  expect(
    f.scrollWidth <= f.innerWidth,
    `${label}: scrolls sideways (${f.scrollWidth}px of content in a ${f.innerWidth}px window): ${f.sticking.join('; ')}`,
  );
  for (const img of f.images) {
    expect(img.alt !== null, `${label}: image ${img.src} has no alt attribute`);
    expect(!img.broken, `${label}: image ${img.src} did not load`);
  }
  const here = page.url().replace(/#.*$/, '');
  for (const href of f.links) {
    if (!href.startsWith(ORIGIN)) continue;
    const u = new URL(href);
    expect(u.pathname.startsWith(BASE), `${label}: link ${u.pathname} is outside the base path ${BASE}`);
    u.hash = '';
    if (u.href !== here && !visitedLinks.has(u.href)) visitedLinks.set(u.href, label);
  }
  return f;
}

async function axe(page, label) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  const notes = [];
  for (const v of result.violations) {
    const targets = v.nodes.slice(0, 5).map((n) => {
      const why = (n.failureSummary || '').split('\n').slice(1, 2).join('').trim();
      return `      ${n.target.join(' ')}${why ? ' — ' + why : ''}`;
    });
    const more = v.nodes.length > 5 ? [`      … and ${v.nodes.length - 5} more`] : [];
    const text = `${label}: axe ${v.impact} ${v.id}: ${v.help}\n${[...targets, ...more].join('\n')}`;
    if (v.impact === 'serious' || v.impact === 'critical') fail(text);
    else notes.push(text);
  }
  current.notes.push(...notes);
}

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

function vpName(vp) {
  return `${vp.width}x${vp.height}`;
}

function squash(s) {
  return (s || '').replace(/\s+/g, '');
}

// ---------------------------------------------------------------- finding the pages

// Found by following the site's own menus and links, as a visitor would, so the suite
// does not depend on the URL scheme. Each is an absolute URL.
const pages = { home: ROOT_URL };
const found = {}; // page key -> extra facts (names) found on the way

async function follow(page, locator, what) {
  const count = await locator.count();
  if (!expect(count > 0, `no link to ${what} found`)) return null;
  const link = locator.first();
  const href = await link.evaluate((a) => a.href);
  const text = squash(await link.innerText());
  await Promise.all([page.waitForURL(href.replace(/#.*$/, '')), link.click()]);
  return { href: page.url(), text };
}

scenario('find the pages through the menus and links', async () => {
  await withPage(DESKTOP, async (page) => {
    await open(page, ROOT_URL);
    const nav = page.getByRole('navigation', { name: '主导航' }).or(page.getByRole('navigation').first()).first();
    const menu = [
      ['estates', /推荐小区|小区名单/],
      ['publicity', /公示/],
      ['cases', /经验案例|案例/],
      ['summary', /汇总表/],
    ];
    for (const [key, name] of menu) {
      await open(page, ROOT_URL);
      const got = await follow(page, nav.getByRole('link', { name }), `${key} in the main menu`);
      if (got) pages[key] = got.href;
    }
    const action = await page.evaluate(() => {
      const form = document.querySelector('form[role="search"], [role="search"] form, search form');
      return form ? new URL(form.getAttribute('action') || '', location.href).href : null;
    });
    if (expect(action, 'no search form (role="search") in the header')) pages.search = action;

    if (pages.estates) {
      await open(page, pages.estates);
      const main = page.getByRole('main');
      // A county filter link reads like "容县（4）"; pick 容县 when it is there.
      const county = main.getByRole('link', { name: /^容县/ }).or(main.getByRole('link', { name: /^(.{2,4}[区县市])（\d+）$/ }));
      const c = await follow(page, county, 'a county listing on the estates listing');
      if (c) {
        pages.county = c.href;
        found.county = c.text.replace(/（.*$/, '');
      }
      await open(page, pages.estates);
      const estate = main.getByRole('table').first().getByRole('rowheader').getByRole('link');
      const e = await follow(page, estate, 'an estate page in the estates table');
      if (e) {
        pages.estate = e.href;
        found.estate = e.text;
      }
    }
    if (pages.cases) {
      await open(page, pages.cases);
      const heading = page.getByRole('main').getByRole('heading').getByRole('link');
      const c = await follow(page, heading, 'a case study on the case studies listing');
      if (c) {
        pages.case = c.href;
        found.case = c.text;
      }
    }
    pages.notfound = ROOT_URL + 'no-such-page/';
  });
}, { always: true });

// ---------------------------------------------------------------- every page at every size

const PAGE_KEYS = ['home', 'estates', 'county', 'estate', 'publicity', 'case', 'summary', 'search', 'notfound'];

// What makes each page the page it claims to be, beyond the common checks.
const PAGE_CHECKS = {
  home: async (page, f, label) => {
    expect(/美好家园/.test(f.text), `${label}: the campaign name 美好家园 is not on the home page`);
  },
  estates: async (page, f, label) => {
    const rows = await page.getByRole('main').getByRole('table').first().getByRole('rowheader').count();
    expect(rows >= 1, `${label}: the estates table has no rows with an estate name`);
  },
  county: async (page, f, label) => {
    expect(f.h1[0] && f.h1[0].includes(found.county), `${label}: heading “${f.h1[0]}” does not name ${found.county}`);
  },
  estate: async (page, f, label) => {
    expect(squash(f.h1[0]) === found.estate, `${label}: heading “${f.h1[0]}” is not the linked estate “${found.estate}”`);
  },
  publicity: async (page, f, label) => {
    expect(/公示/.test(f.h1[0]), `${label}: heading “${f.h1[0]}” does not say 公示`);
    expect(/\d{4}年\d{1,2}月\d{1,2}日至(\d{4}年)?\d{1,2}月\d{1,2}日/.test(f.text), `${label}: no publicity period (…年…月…日至…月…日)`);
    expect(/异议/.test(f.text), `${label}: no objection channels (异议)`);
    const rows = await page.getByRole('main').getByRole('table').first().getByRole('row').count();
    expect(rows >= 2, `${label}: the list of estates is not a table with rows`);
  },
  case: async (page, f, label) => {
    expect(squash(f.h1[0]) === found.case, `${label}: heading “${f.h1[0]}” is not the linked case study “${found.case}”`);
    expect(/发布日期/.test(f.text), `${label}: no 发布日期 on the case study`);
    expect(/信息来源/.test(f.text), `${label}: no 信息来源 on the case study`);
  },
  summary: async (page, f, label) => {
    const rows = await page.getByRole('main').getByRole('table').first().getByRole('row').count();
    expect(rows >= 2, `${label}: the summary table (推荐汇总表) has no rows`);
  },
  search: async (page, f, label) => {
    const box = page.getByRole('main').getByRole('searchbox');
    if (expect((await box.count()) >= 1, `${label}: no search box in the main content`)) {
      const name = await box.first().evaluate((el) => (el.labels && el.labels[0] ? el.labels[0].textContent : el.getAttribute('aria-label')) || '');
      expect(name.trim().length > 0, `${label}: the search box has no label`);
    }
  },
  notfound: async (page, f, label) => {
    const home = await page.getByRole('main').getByRole('link').evaluateAll(
      (links, root) => links.some((a) => a.href === root), ROOT_URL);
    expect(home, `${label}: the 404 page has no link back to the home page`);
  },
};

for (const key of PAGE_KEYS) {
  for (const vp of VIEWPORTS) {
    scenario(`${key} @ ${vpName(vp)}`, async () => {
      if (!expect(pages[key], `the ${key} page was not found (see the first scenario)`)) return;
      const status = key === 'notfound' ? 404 : 200;
      await withPage(vp, async (page) => {
        await open(page, pages[key], { status });
        const label = `${key} @ ${vpName(vp)}`;
        const f = await checkPage(page, label);
        await PAGE_CHECKS[key](page, f, label);
        await screenshot(page, `${key}-${vpName(vp)}`);
        await axe(page, label);
      }, { allowStatus: status === 404 ? [404] : [] });
    });
  }
}

// ---------------------------------------------------------------- keyboard

// What the focused element looks like: where it is and whether its focus shows.
async function focusInfo(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const transparent = (c) => /rgba\(.*,\s*0\)$/.test(c) || c === 'transparent';
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 && !transparent(cs.outlineColor);
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    const name = (el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].textContent) ||
      el.textContent || el.getAttribute('placeholder') || '').trim().replace(/\s+/g, ' ');
    return {
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type'),
      href: el.getAttribute('href'),
      id: el.id,
      name,
      inMain: !!el.closest('main, [role="main"]'),
      inNav: !!el.closest('nav, [role="navigation"]'),
      isMain: el.matches('main, [role="main"]'),
      focusVisible: el.matches(':focus-visible'),
      indicator: outline || shadow,
      style: `outline: ${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}; box-shadow: ${cs.boxShadow}`,
      inViewport: r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0 &&
        r.top < window.innerHeight && r.left < window.innerWidth,
      hash: location.hash,
    };
  });
}

function describeFocus(f) {
  return f ? `<${f.tag}${f.id ? '#' + f.id : ''}> “${f.name.slice(0, 20)}”` : 'nothing';
}

for (const vp of [DESKTOP, PHONE]) {
  scenario(`keyboard: skip link and header @ ${vpName(vp)}`, async () => {
    await withPage(vp, async (page) => {
      await open(page, ROOT_URL);
      // 1. The first Tab reaches the skip link, which shows itself and its focus.
      await page.keyboard.press('Tab');
      const skip = await focusInfo(page);
      if (expect(skip && skip.tag === 'a' && skip.href && skip.href.startsWith('#'),
        `the first Tab reaches ${describeFocus(skip)}, not a skip link to the content`)) {
        expect(skip.inViewport, 'the focused skip link is not visible on screen');
        expect(skip.focusVisible && skip.indicator, `the focused skip link shows no focus indicator (${skip.style})`);
        expect(skip.name.length > 0, 'the skip link has no text');
        // 2. Enter moves focus into the main content, and the next Tab stays there.
        await page.keyboard.press('Enter');
        await page.waitForFunction((h) => location.hash === h, skip.href);
        const target = await focusInfo(page);
        expect(target && (target.isMain || target.inMain),
          `after Enter on the skip link focus is on ${describeFocus(target)}, not the main content`);
        await page.keyboard.press('Tab');
        const next = await focusInfo(page);
        expect(next && next.inMain, `Tab after the skip link reaches ${describeFocus(next)}, outside the main content`);
      }

      // 3. Walking the header with Tab: every stop is on screen with a visible focus.
      await open(page, ROOT_URL);
      const stops = [];
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        const f = await focusInfo(page);
        if (!f || f.inMain) break;
        stops.push(f);
        expect(f.inViewport, `header: focused ${describeFocus(f)} is off screen`);
        expect(f.focusVisible && f.indicator, `header: focused ${describeFocus(f)} shows no focus indicator (${f.style})`);
        expect(f.name.length > 0, `header: a focusable <${f.tag}> has no accessible name`);
      }
      const toggleAt = stops.findIndex((f) => f.tag === 'button' && /长者|大字|适老/.test(f.name));
      const searchAt = stops.findIndex((f) => f.tag === 'input' && (f.type === 'search' || f.type === 'text'));
      expect(toggleAt >= 0, 'header: Tab never reaches the large-text (长者模式) button');
      expect(searchAt >= 0, 'header: Tab never reaches the search box');
      expect(stops.some((f) => f.inNav && f.tag === 'a'), 'header: Tab never reaches a link of the main menu');

      // 4. The large-text button works from the keyboard (Enter on, Space off).
      if (toggleAt >= 0) {
        await open(page, ROOT_URL);
        for (let i = 0; i <= toggleAt; i++) await page.keyboard.press('Tab');
        const toggle = page.getByRole('button', { name: /长者|大字|适老/ });
        await page.keyboard.press('Enter');
        expect(await toggle.getAttribute('aria-pressed') === 'true', 'Enter on the large-text button does not turn it on');
        await page.keyboard.press('Space');
        expect(await toggle.getAttribute('aria-pressed') === 'false', 'Space on the large-text button does not turn it off');
      }

      // 5. Search from the header box with the keyboard alone.
      if (searchAt >= 0) {
        await open(page, ROOT_URL);
        for (let i = 0; i <= searchAt; i++) await page.keyboard.press('Tab');
        await page.keyboard.type('加装电梯');
        await Promise.all([page.waitForURL((u) => u.searchParams.get('q') === '加装电梯'), page.keyboard.press('Enter')]);
        expect(pages.search && page.url().startsWith(pages.search),
          `Enter in the header search box went to ${shortUrl(page.url())}, not the search page`);
      }
    });
  });
}

// ---------------------------------------------------------------- 长者模式 (large text)

// Base text size, and the contrast of the first paragraph of the main content.
async function textLook(page) {
  return page.evaluate(() => {
    const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => (v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const p = document.querySelector('main p') || document.querySelector('main');
    let bg = [255, 255, 255];
    for (let el = p; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3] > 0.5)) {
        bg = c.slice(0, 3);
        break;
      }
    }
    const fg = rgb(getComputedStyle(p).color).slice(0, 3);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    return {
      bodyFont: parseFloat(getComputedStyle(document.body).fontSize),
      contrast: (hi + 0.05) / (lo + 0.05),
    };
  });
}

scenario(`elder mode: large text and contrast persist across pages @ ${vpName(PHONE)}`, async () => {
  await withPage(PHONE, async (page) => {
    await open(page, ROOT_URL);
    const toggle = () => page.getByRole('button', { name: /长者|大字|适老/ });
    if (!expect(await toggle().count() === 1, 'no large-text (长者模式) button on the home page')) return;
    expect(await toggle().isVisible(), 'the large-text button is not visible on a phone');
    expect(await toggle().getAttribute('aria-pressed') === 'false', 'the large-text button starts pressed on a first visit');
    const before = await textLook(page);
    await toggle().click();
    expect(await toggle().getAttribute('aria-pressed') === 'true', 'the large-text button does not report aria-pressed="true" once on');
    const on = await textLook(page);
    expect(on.bodyFont >= before.bodyFont * 1.15,
      `large text: base size ${on.bodyFont}px is not clearly larger than ${before.bodyFont}px`);
    expect(on.contrast >= 7, `large text: main text contrast ${on.contrast.toFixed(1)}:1 is below 7:1`);

    // Every page keeps the mode, fits the phone and passes axe in it.
    for (const key of PAGE_KEYS) {
      if (!pages[key] || key === 'notfound') continue;
      const label = `elder ${key} @ ${vpName(PHONE)}`;
      await open(page, pages[key]);
      expect(await toggle().getAttribute('aria-pressed') === 'true', `${label}: the mode was not kept`);
      const look = await textLook(page);
      expect(look.bodyFont >= before.bodyFont * 1.15, `${label}: base size ${look.bodyFont}px, the mode was not kept`);
      await checkPage(page, label);
      await screenshot(page, `elder-${key}-${vpName(PHONE)}`);
      await axe(page, label);
    }

    // Turned off, it stays off.
    await toggle().click();
    await open(page, ROOT_URL);
    expect(await toggle().getAttribute('aria-pressed') === 'false', 'the mode came back after being turned off');
    const off = await textLook(page);
    expect(off.bodyFont === before.bodyFont, `after turning the mode off the base size is ${off.bodyFont}px, not ${before.bodyFont}px`);
  });
});

// ---------------------------------------------------------------- search

// The result links in the results area (#search-results is the template's contract with
// the search script), once they answer `query`.
async function searchResults(page, query) {
  const region = page.locator('#search-results');
  if (!expect((await region.count()) === 1, 'the search page has no results area (#search-results)')) return [];
  const terms = [];
  for (let i = 0; i + 1 < query.length; i++) terms.push(query.slice(i, i + 2));
  try {
    await page.waitForFunction((terms) => {
      const box = document.getElementById('search-results');
      return box.querySelector('a[href]') && terms.every((t) => box.textContent.includes(t));
    }, terms, { timeout: RESULTS_TIMEOUT });
  } catch {
    const said = squash(await region.innerText()).slice(0, 120);
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src.split('/').pop() || 'inline'));
    fail(`search for “${query}”: no results within ${RESULTS_TIMEOUT / 1000} s (results area says “${said}”; scripts: ${scripts.join(', ')}) — is the site search built?`);
    return [];
  }
  const results = await region.locator('a[href]').evaluateAll((links) =>
    links.map((a) => ({ href: a.href, text: a.textContent.replace(/\s+/g, '') })));
  current.notes.push(`search “${query}”: ${results.length} result link(s), first ${results.slice(0, 3).map((r) => r.text).join(' | ')}`);
  return results;
}

// Opens a result and checks that it is the page the result names and that it matches.
// `click` follows the first result link on the results page, as a person would.
async function checkResult(page, result, query, label, { click = false } = {}) {
  if (!expect(result.href.startsWith(ROOT_URL), `${label}: result link ${result.href} is not under ${ROOT_URL}`)) return;
  if (click) {
    const link = page.locator('#search-results a[href]').first();
    await Promise.all([page.waitForURL(result.href), link.click()]);
  } else {
    await open(page, result.href);
  }
  const f = await pageFacts(page);
  const h1 = squash(f.h1[0]);
  expect(h1 && (h1.includes(result.text) || result.text.includes(h1)),
    `${label}: result “${result.text}” opened ${shortUrl(page.url())}, whose heading is “${f.h1[0]}”`);
  const text = squash(f.text);
  const terms = [];
  for (let i = 0; i + 1 < query.length; i++) terms.push(query.slice(i, i + 2));
  const missing = terms.filter((t) => !text.includes(t));
  expect(missing.length === 0, `${label}: the page of result “${result.text}” does not contain ${missing.join('、')}`);
}

scenario(`search: 加装电梯 from the header, then a county name @ ${vpName(PHONE)}`, async () => {
  if (!expect(pages.search, 'the search page was not found')) return;
  await withPage(PHONE, async (page) => {
    // From the header of the home page.
    await open(page, ROOT_URL);
    const header = page.getByRole('search').first().getByRole('searchbox');
    await header.fill('加装电梯');
    await Promise.all([page.waitForURL((u) => u.searchParams.get('q') === '加装电梯'), header.press('Enter')]);
    let results = await searchResults(page, '加装电梯');
    if (results.length) {
      await screenshot(page, `search-results-${vpName(PHONE)}`);
      await checkResult(page, results[0], '加装电梯', 'search 加装电梯', { click: true });
      for (const r of results.slice(1, 3)) await checkResult(page, r, '加装电梯', 'search 加装电梯');
    }

    // Then from the search page's own box.
    const county = found.county || '容县';
    await open(page, pages.search);
    const box = page.getByRole('main').getByRole('searchbox').first();
    await box.fill(county);
    await box.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('q') === county);
    results = await searchResults(page, county);
    if (results.length) {
      await axe(page, `search results ${county}`);
      await checkResult(page, results[0], county, `search ${county}`, { click: true });
      for (const r of results.slice(1, 3)) await checkResult(page, r, county, `search ${county}`);
    }
  });
});

// ---------------------------------------------------------------- print

scenario('print: the publicity notice fits A4 without cut-off tables', async () => {
  if (!expect(pages.publicity, 'the publicity notice was not found')) return;
  await withPage(DESKTOP, async (page) => {
    await open(page, pages.publicity);
    await page.emulateMedia({ media: 'print' });
    // The printable width: A4 less the @page side margins (Chromium's 1 cm when none).
    const margins = await page.evaluate(() => {
      const mm = (v) => {
        const m = /^([\d.]+)(mm|cm|in|px|pt)$/.exec(v.trim());
        if (!m) return null;
        const n = parseFloat(m[1]);
        return { mm: n, cm: n * 10, in: n * 25.4, px: (n * 25.4) / 96, pt: (n * 25.4) / 72 }[m[2]];
      };
      let left = null;
      let right = null;
      for (const sheet of document.styleSheets) {
        let rules;
        try {
          rules = sheet.cssRules;
        } catch {
          continue;
        }
        for (const rule of rules) {
          if (rule.constructor.name !== 'CSSPageRule' || rule.selectorText) continue;
          left = mm(rule.style.getPropertyValue('margin-left')) ?? left;
          right = mm(rule.style.getPropertyValue('margin-right')) ?? right;
        }
      }
      return { left: left ?? 10, right: right ?? 10 };
    });
    // As Chromium prints: media queries see the whole sheet's width, the layout gets
    // the printable width.
    const width = Math.floor(A4.width - (margins.left + margins.right) * MM);
    await page.setViewportSize({ width: Math.round(A4.width), height: Math.round(A4.height) });
    const report = await page.evaluate((width) => {
      document.documentElement.style.setProperty('width', `${width}px`, 'important');
      const problems = [];
      const tables = [...document.querySelectorAll('main table')];
      let shown = 0;
      for (const [i, t] of tables.entries()) {
        const r = t.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        shown++;
        const name = `table ${i + 1}${t.caption ? ' “' + t.caption.textContent.trim().slice(0, 20) + '”' : ''}`;
        if (r.left < -0.5 || r.right > width + 0.5) {
          // Chromium would shrink the whole page to fit it; other browsers cut it off.
          problems.push(`${name} spans ${Math.round(r.left)}–${Math.round(r.right)}px, wider than the ${width}px printable width`);
        }
        if (t.scrollWidth > t.clientWidth + 1) problems.push(`${name} overflows its own box`);
        for (let a = t.parentElement; a && a !== document.body; a = a.parentElement) {
          const cs = getComputedStyle(a);
          if (cs.overflowX !== 'visible' && a.scrollWidth > a.clientWidth + 1) {
            problems.push(`${name} is clipped by <${a.tagName.toLowerCase()} class="${a.className}"> (overflow ${cs.overflowX})`);
          }
        }
      }
      const pageWidth = document.body.scrollWidth;
      return { problems, tables: tables.length, shown, pageWidth };
    }, width);
    expect(report.shown >= 1, `print: the list of estates (a table) is not printed (${report.tables} tables, none shown)`);
    for (const p of report.problems) fail(`print: ${p}`);
    expect(report.pageWidth <= width, `print: the page is ${report.pageWidth}px wide, the printable width is ${width}px`);
    const pdf = await page.pdf({ path: path.join(SHOTS, 'publicity-A4.pdf'), format: 'A4', preferCSSPageSize: true });
    const sheets = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    current.notes.push(`printable width ${width}px (A4 less ${margins.left}+${margins.right} mm); PDF: ${sheets || '?'} A4 page(s)`);
  });
});

// ---------------------------------------------------------------- links

scenario('links: every internal link on the visited pages resolves', async () => {
  let checked = 0;
  for (const [href, from] of visitedLinks) {
    const u = new URL(href);
    let answer = resolvePath(u.pathname);
    if (answer.status === 301) answer = resolvePath(answer.location);
    checked++;
    expect(answer.status === 200, `${shortUrl(href)} (linked from ${from}) is missing`);
  }
  expect(checked > 0, 'no internal link was collected');
  current.notes.push(`${checked} internal links checked`);
});

// ---------------------------------------------------------------- run

const started = Date.now();
const watchdog = setTimeout(() => {
  console.error('the browser suite took more than 5 minutes: stopping');
  process.exit(1);
}, 5 * 60_000);

console.log(`serving ${SITE} at ${ROOT_URL}; Chromium ${browser.version()}`);
let passed = 0;
let failed = 0;
for (const s of scenarios) {
  if (only.length && !s.always && !only.some((w) => s.name.includes(w))) continue;
  current = { name: s.name, failures: [], notes: [] };
  const t0 = Date.now();
  try {
    await s.fn();
  } catch (e) {
    fail(`stopped: ${(e && e.message ? e.message : String(e)).split('\n')[0]}`);
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (current.failures.length) {
    failed++;
    console.log(`FAIL ${s.name} (${secs} s)`);
    for (const f of current.failures) console.log(`  - ${f.message}${f.count > 1 ? ` (×${f.count})` : ''}`);
  } else {
    passed++;
    console.log(`ok   ${s.name} (${secs} s)`);
  }
  for (const n of current.notes) console.log(`  note: ${n}`);
}

await browser.close();
server.close();
clearTimeout(watchdog);
console.log(
  `${totals.requests} requests (${totals.offsite} off loopback), ${totals.consoleErrors} console errors, ` +
  `${served.count} served; screenshots in ${path.relative(process.cwd(), SHOTS) || SHOTS}; ` +
  `${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
