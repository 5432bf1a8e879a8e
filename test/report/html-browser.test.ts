import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/commands/report.js';
import { ROOT } from '../helpers/fixtures.js';
import { fixtureReport } from '../helpers/report-fixture.js';

/**
 * The HTML report in a real browser: Debian's chromium (.ci/run installs it)
 * driven by playwright-core, one launch for the file. Every request but the
 * file itself is blocked: the page must need none. No console errors; the
 * filters change the visible rows; the counts on the page are the JSON
 * report's. The screenshot is docs/html-report.png (written when
 * ATREST_SCREENSHOT=1).
 */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe.skipIf(!existsSync(CHROMIUM))('the HTML report in headless Chromium', () => {
  let browser: BrowserContext;
  let file: string;
  const report = fixtureReport();

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atrest-html-'));
    file = join(dir, 'report.html');
    writeFileSync(file, renderReport(report, 'html', file));
    // A fresh profile folder each run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'atrest-chromium-')), { executablePath: CHROMIUM, args: FLAGS, viewport: { width: 1280, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads with the network blocked, logs no error, filters rows and shows the JSON report\'s counts', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url === pathToFileURL(file).href) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);

    for (const [status, n] of Object.entries(report.summary.byStatus)) expect(await page.textContent(`[data-count="${status}"]`)).toBe(String(n));
    expect(await page.textContent('#findings-total')).toBe(String(report.findings.length));
    const shown = async () => Number(await page.textContent('#findings-shown'));
    const rows = () => page.locator('#findings-body tr').count();
    expect(await shown()).toBe(report.findings.length);

    await page.selectOption('#f-status', 'fail');
    expect(await shown()).toBe(report.summary.byStatus.fail);
    expect(await rows()).toBe(Math.min(200, report.summary.byStatus.fail));
    expect(await page.locator('#findings-body tr[data-status="pass"]').count()).toBe(0);

    await page.selectOption('#f-severity', 'critical');
    const critical = report.findings.filter((f) => f.status === 'fail' && f.severity === 'critical').length;
    expect(await shown()).toBe(critical);

    await page.selectOption('#f-severity', '');
    await page.selectOption('#f-status', '');
    await page.fill('#f-text', 'acme-old-backups');
    expect(await shown()).toBe(report.findings.filter((f) => f.resourceArn.includes('acme-old-backups') || f.message.toLowerCase().includes('acme-old-backups')).length);
    await page.fill('#f-text', '');
    await page.click('th[data-sort="resource"]');
    const first = await page.locator('#findings-body tr td.arn').first().textContent();
    expect(first).toBe([...report.findings.map((f) => f.resourceArn)].sort()[0]);
    expect(problems).toEqual([]);

    if (process.env.ATREST_SCREENSHOT === '1') {
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(ROOT, 'docs', 'html-report.png'), fullPage: false });
    }
    await page.close();
  }, 60_000);
});
