import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { signInAs } from './helpers/auth';
import { msg } from './messages';

/** As db/seed/water.ts demoWaterId: the demo's stable ids. */
function demoWaterId(name: string): string {
  const h = createHash('sha256').update(`bt-water-demo:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
const DMA3 = demoWaterId('object:astana:dma3');
const HOUR = 3_600_000;

/** Astana local 'YYYY-MM-DD HH:00' of an instant. */
function local(ms: number): string {
  const d = new Date(ms + 5 * HOUR);
  return `${d.toISOString().slice(0, 10)} ${String(d.getUTCHours()).padStart(2, '0')}:00`;
}

test.describe('water CSV import and the demand forecast (W-16, W-28)', () => {
  test('W-28 the operator imports history and weather CSV files, sees reasons for a bad file, and the forecast uses them', async ({ page }) => {
    test.setTimeout(180_000);
    await signInAs(page, 'operator');
    await page.goto('/water/import');
    await expect(page.getByRole('heading', { level: 1, name: msg('kk', 'waterImport.title') })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    // three weeks of hourly history of the Astana DMA-3, ending at the last whole hour
    const end = Math.floor(Date.now() / HOUR) * HOUR;
    const lines = ['object,metric,ts,value,unit'];
    const weather = ['region,ts,temperature,precipitation,kind'];
    for (let h = 21 * 24; h >= 1; h--) {
      const ts = end - h * HOUR;
      const hour = new Date(ts + 5 * HOUR).getUTCHours();
      lines.push(`${DMA3},flow,${local(ts)},${(60 + 40 * Math.sin(((hour - 6) / 24) * 2 * Math.PI) + (h % 7)).toFixed(2)},m3/h`);
      weather.push(`710000000,${local(ts)},${(-5 + 4 * Math.sin(((hour - 9) / 24) * 2 * Math.PI)).toFixed(1)},0,observed`);
    }
    for (let h = 0; h < 8 * 24; h++) weather.push(`710000000,${local(end + h * HOUR)},-6,0.1,forecast`);

    const form = page.getByRole('region', { name: msg('kk', 'waterImport.form.title') });
    const file = form.getByLabel(msg('kk', 'waterImport.form.file'));
    // a bad file: nothing imported, the reason beside its line
    await file.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`${lines[0]}\n${DMA3},flow,yesterday,5,m3/h\n`) });
    await form.getByRole('button', { name: msg('kk', 'waterImport.form.submit') }).click();
    const outcome = page.getByTestId('import-outcome');
    await expect(outcome).toContainText(msg('kk', 'waterImport.reasons.bad_time'));
    await expect(outcome).toContainText(msg('kk', 'waterImport.report.line').replace('{line}', '2'));

    await file.setInputFiles({ name: 'history.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
    await form.getByRole('button', { name: msg('kk', 'waterImport.form.submit') }).click();
    await expect(outcome.locator('p').first()).toContainText(String(21 * 24));
    await form.getByLabel(msg('kk', 'waterImport.kinds.weather')).check();
    await file.setInputFiles({ name: 'weather.csv', mimeType: 'text/csv', buffer: Buffer.from(weather.join('\n')) });
    await form.getByRole('button', { name: msg('kk', 'waterImport.form.submit') }).click();
    await expect(outcome.locator('p').first()).toContainText(String(weather.length - 1));
    await expect(page.getByTestId('recent-imports').locator('tbody tr').first()).toContainText('weather.csv');

    // the DMA's forecast: Prophet with the imported weather (computed in the Next.js server build)
    await page.goto(`/water/objects/${DMA3}`);
    const forecast = page.getByTestId('forecast');
    await expect(forecast.getByTestId('chart-forecast')).toBeVisible({ timeout: 60_000 });
    await expect(forecast).toContainText('Prophet');
    await expect(forecast).toContainText(msg('kk', 'waterDashboard.forecast.weatherSources').split('{')[0].trim());
    await expectNoSeriousA11yViolations(page);
  });
});
