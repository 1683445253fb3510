import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { msg } from './messages';

const SYSTEMS = ['construction', 'expertise', 'procurement', 'water'] as const;
const isPhone = (name: string) => name === 'phone';

/** On a phone the navigation is behind the menu button. */
async function openNav(page: Page, phone: boolean, locale: 'kk' | 'ru' | 'en' = 'kk') {
  if (!phone) return;
  const button = page.getByRole('button', { name: msg(locale, 'shell.menu') });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
}

/** The Astana wall-clock date and time of an instant, computed without the runner's time zone. */
function astana(ms: number) {
  const d = new Date(ms + 5 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return { date: `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`, minutes: d.getUTCHours() * 60 + d.getUTCMinutes() };
}

test('X-1 the header shows Astana time with the zone marked, ticking every second', async ({ page }) => {
  await page.goto('/');
  const clock = page.getByTestId('astana-clock');
  await expect(clock).toContainText(/\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2} \(Астана уақыты, UTC\+5\)/);
  const text = (await clock.textContent()) ?? '';
  const [, date, hh, mm] = /(\d{2}\.\d{2}\.\d{4}) (\d{2}):(\d{2})/.exec(text)!;
  // The browser runs in America/New_York: the clock must still show Astana (UTC+5) time.
  const expected = astana(Date.now());
  const shown = Number(hh) * 60 + Number(mm);
  if (date === expected.date) expect(Math.abs(shown - expected.minutes)).toBeLessThanOrEqual(2);
  else expect(date).toBe(astana(Date.now() - 120_000).date); // just after midnight
  const before = await clock.locator('time').textContent();
  await expect.poll(async () => clock.locator('time').textContent(), { timeout: 5000 }).not.toBe(before);

  await page.getByRole('button', { name: msg('ru', 'shell.languages.ru') }).click();
  await expect(clock).toContainText('(время Астаны, UTC+5)');
  await page.getByRole('button', { name: msg('en', 'shell.languages.en') }).click();
  await expect(clock).toContainText('(Astana, UTC+5)');
});

test('the shell renders in kk, ru and en through the language switch', async ({ page }, info) => {
  const phone = isPhone(info.project.name);
  await page.goto('/');
  // Default from Accept-Language (kk-KZ).
  await expect(page.locator('html')).toHaveAttribute('lang', 'kk');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', 'home.title'));
  await expect(page.getByRole('link', { name: msg('kk', 'app.name'), exact: true })).toBeVisible();

  for (const locale of ['ru', 'en', 'kk'] as const) {
    const button = page.getByRole('button', { name: msg(locale, `shell.languages.${locale}`) });
    await button.click();
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    await expect(button).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg(locale, 'home.title'));
    await expect(page.getByRole('link', { name: msg(locale, 'shell.skip') })).toBeAttached();
    await openNav(page, phone, locale);
    const nav = page.getByRole('navigation', { name: msg(locale, 'shell.mainNav') });
    for (const s of SYSTEMS) await expect(nav.getByRole('link', { name: msg(locale, `shell.nav.${s}`), exact: true })).toBeVisible();
    await expect(nav.getByRole('link', { name: msg(locale, 'shell.nav.admin'), exact: true })).toBeVisible();
    await expect(page.getByRole('contentinfo')).toContainText(msg(locale, 'footer.support'));
  }
  // The choice survives a reload (NEXT_LOCALE cookie).
  await page.getByRole('button', { name: msg('ru', 'shell.languages.ru') }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('ru', 'home.title'));
});

test('navigation reaches each of the four systems and the admin area', async ({ page }, info) => {
  const phone = isPhone(info.project.name);
  await page.goto('/');
  for (const s of SYSTEMS) {
    await openNav(page, phone);
    await page.getByRole('navigation', { name: msg('kk', 'shell.mainNav') }).getByRole('link', { name: msg('kk', `shell.nav.${s}`), exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/${s}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', `systems.${s}.title`));
    // Honest status: services not built yet are marked "coming".
    await expect(page.getByText(msg('kk', 'systems.coming')).first()).toBeVisible();
    await openNav(page, phone);
    await expect(page.getByRole('link', { name: msg('kk', `shell.nav.${s}`), exact: true })).toHaveAttribute('aria-current', 'page');
  }
  await openNav(page, phone);
  await page.getByRole('link', { name: msg('kk', 'shell.nav.admin'), exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
  // Signed out: the operator sign-in message, not an error page.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', 'admin.guard.unauthenticatedTitle'));
  await expect(page.getByTestId('access-denied').getByRole('link', { name: msg('kk', 'admin.guard.signIn') })).toHaveAttribute('href', '/signin');
});

test('admin pages refuse a signed-out visitor on the server with the sign-in message', async ({ page }) => {
  for (const path of ['/admin', '/admin/calendar', '/admin/audit']) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    await expect(page.getByTestId('access-denied')).toHaveAttribute('data-reason', 'unauthenticated');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', 'admin.guard.unauthenticatedTitle'));
    await expect(page.getByTestId('calendar-form-add')).toHaveCount(0);
    await expect(page.getByTestId('audit-table')).toHaveCount(0);
  }
});

test('X-2 the footer shows support hours per system from the support calendars', async ({ page }) => {
  await page.goto('/');
  const hours = page.getByTestId('support-hours');
  await expect(hours).toContainText(`${msg('kk', 'footer.systems.expertise')}: 09:00–12:30, 14:00–18:30`);
  await expect(hours).toContainText(`${msg('kk', 'footer.systems.procurement')}: 09:00–18:30`);
  await expect(hours).toContainText(msg('kk', 'footer.hoursNote'));
  const footer = page.getByRole('contentinfo');
  await expect(footer.getByRole('link', { name: 'support@birtereze.kz' })).toHaveAttribute('href', 'mailto:support@birtereze.kz');
  await expect(footer.getByRole('link', { name: /^\+7/ })).toHaveAttribute('href', /^tel:\+7/);
});

test('the phone viewport folds the navigation into a menu and never scrolls sideways', async ({ page }, info) => {
  test.skip(!isPhone(info.project.name), 'phone only');
  const pages = ['/', ...SYSTEMS.map((s) => `/${s}`), '/admin', '/admin/calendar', '/admin/audit'];
  for (const path of pages) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `horizontal scroll on ${path}`).toBeLessThanOrEqual(0);
  }
  await page.goto('/');
  const menu = page.getByRole('button', { name: msg('kk', 'shell.menu') });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('link', { name: msg('kk', 'shell.nav.water'), exact: true })).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('link', { name: msg('kk', 'shell.nav.water'), exact: true })).toBeVisible();
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
});

test('the desktop shows the navigation without a menu button', async ({ page }, info) => {
  test.skip(isPhone(info.project.name), 'desktop only');
  await page.goto('/');
  await expect(page.getByRole('button', { name: msg('kk', 'shell.menu') })).toBeHidden();
  await expect(page.getByRole('link', { name: msg('kk', 'shell.nav.water'), exact: true })).toBeVisible();
});

test('the skip link moves the focus to the main content', async ({ page }, info) => {
  test.skip(isPhone(info.project.name), 'keyboard check on desktop');
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: msg('kk', 'shell.skip') });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
});

// Every page in Kazakh (the default); the home page, one system and the admin sign-in message in ru and en.
const AXE_PAGES: [locale: 'kk' | 'ru' | 'en', path: string][] = [
  ...['/', ...SYSTEMS.map((s) => `/${s}`), '/admin', '/admin/calendar', '/admin/audit'].map((p) => ['kk', p] as ['kk', string]),
  ...(['ru', 'en'] as const).flatMap((l) => ['/', '/expertise', '/admin'].map((p) => [l, p] as ['ru' | 'en', string])),
];
for (const [locale, path] of AXE_PAGES) {
  test(`no serious or critical axe violations on ${path} (${locale})`, async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: 'NEXT_LOCALE', value: locale, url: baseURL! }]);
    await page.goto(path);
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    await expectNoSeriousA11yViolations(page);
  });
}
