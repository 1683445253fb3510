import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { signInAs } from './helpers/auth';
import { msg } from './messages';

// The demo seed's Astana DMA-1 flow meter token (db/seed/water.ts DEMO_WATER_SECRETS).
const DMA1_TOKEN = 'btd_demo_astana_dma1_flow_0001';

test.describe('water dashboards (W-2, W-27)', () => {
  test('W-2 W-27 the operator drills down national → region → utility → object and sees charts', async ({ page }) => {
    test.setTimeout(120_000);
    // Telemetry of the last two hours through the real ingestion route, so the object has a series.
    const now = Date.now();
    const readings = Array.from({ length: 24 }, (_, i) => ({
      metric: 'flow',
      ts: new Date(now - (24 - i) * 5 * 60_000).toISOString(),
      value: 150 + 20 * Math.sin(i / 3),
      unit: 'm3/h',
    }));
    const ingest = await page.request.post('/api/v1/telemetry', { headers: { authorization: `Bearer ${DMA1_TOKEN}` }, data: readings });
    expect(ingest.status()).toBeLessThan(300);

    await signInAs(page, 'operator');
    await page.goto('/water/dashboard');
    await expect(page.getByRole('heading', { level: 1, name: msg('kk', 'waterDashboard.title') })).toBeVisible();
    await expect(page.getByTestId('regions-table')).toBeVisible();
    await expect(page.getByTestId('chart-volumes').locator('svg').first()).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    await page.getByTestId('regions-table').getByRole('link', { name: 'Астана қаласы' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Астана қаласы' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: msg('kk', 'waterDashboard.breadcrumbs') })).toContainText(msg('kk', 'waterDashboard.national'));

    await page.getByTestId('utilities-table').getByRole('link', { name: /Астана Су Арнасы/ }).click();
    await expect(page.getByTestId('objects-table')).toBeVisible();
    await expect(page.getByTestId('balance')).toBeVisible();
    await expect(page.getByTestId('forecast')).toBeVisible();

    await page.getByTestId('objects-table').getByRole('link', { name: 'DMA-1' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /DMA-1/ })).toBeVisible();
    const chart = page.getByTestId('chart-series').first();
    await expect(chart).toBeVisible();
    await expect(chart.locator('.recharts-line path').first()).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    // The range picker switches to 7 days (hourly rollups) and keeps the drill-down.
    await page.getByRole('link', { name: msg('kk', 'waterDashboard.range.7d') }).click();
    await expect(page).toHaveURL(/range=7d/);
    await expect(page.getByTestId('chart-series').first()).toBeVisible();
  });

  test('W-2 the overview is usable on a phone (no horizontal scroll)', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAs(page, 'operator');
    await page.goto('/water/dashboard');
    await expect(page.getByTestId('regions-table')).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  test('X-11 signed out, the dashboard asks to sign in (no 500)', async ({ page }) => {
    const res = await page.goto('/water/dashboard');
    expect(res?.status()).toBeLessThan(500);
    await expect(page.getByTestId('access-denied')).toHaveAttribute('data-reason', 'unauthenticated');
    const api = await page.request.get('/api/v1/water/overview');
    expect(api.status()).toBe(401);
  });
});
