import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { chooseDemoKey, signInAs, signOut } from './helpers/auth';
import { msg } from './messages';

test('X-3 the sign-in page explains EDS sign-in and passes axe', async ({ page }) => {
  await page.goto('/signin');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', 'signin.title'));
  await expect(page.getByRole('button', { name: msg('kk', 'signin.ncalayer.button') })).toBeVisible();
  await expect(page.locator('tr[data-demo-key="first_head"]')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test('X-3 a demo user signs in with a demo key and sees their name; sign-out ends the session', async ({ page }) => {
  const { fullName } = await signInAs(page, 'first_head');
  await page.goto('/signin');
  await expect(page.getByTestId('signed-in')).toContainText(fullName);
  await expectNoSeriousA11yViolations(page);
  await signOut(page);
  expect((await page.request.get('/api/auth/session').then((r) => r.json()))?.user ?? null).toBeNull();
  await page.goto('/signin');
  await expect(page.getByRole('button', { name: msg('kk', 'signin.ncalayer.button') })).toBeVisible();
});

test('X-3 a downloaded key file can be uploaded and used with its password', async ({ page }) => {
  await page.goto('/signin');
  const row = page.locator('tr[data-demo-key="individual"]');
  const fullName = (await row.locator('td').nth(1).innerText()).trim();
  const password = (await row.locator('td').nth(2).innerText()).trim();
  const file = await page.request.get('/api/eds/demo-keys/individual/auth');
  expect(file.status()).toBe(200);
  await page
    .getByLabel(msg('kk', 'signin.demo.orUpload'))
    .setInputFiles({ name: 'individual-auth.p12', mimeType: 'application/x-pkcs12', buffer: Buffer.from(await file.body()) });

  // A wrong password is refused in the browser with its message.
  await page.getByLabel(msg('kk', 'signin.demo.passwordLabel'), { exact: true }).fill('wrong-password');
  await page.getByRole('button', { name: msg('kk', 'signin.demo.submit') }).click();
  await expect(page.getByTestId('signin-error')).toContainText(msg('kk', 'signin.errors.wrong_password'));

  await page.getByLabel(msg('kk', 'signin.demo.passwordLabel'), { exact: true }).fill(password);
  await page.getByRole('button', { name: msg('kk', 'signin.demo.submit') }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
  await page.goto('/signin');
  await expect(page.getByTestId('signed-in')).toContainText(fullName);
});

test('X-3 a GOST 34.10-2015 demo key signs in: the browser signs the nonce with GOST and Streebog-512', async ({ page }) => {
  const { fullName } = await signInAs(page, 'gost_individual');
  await page.goto('/signin');
  await expect(page.getByTestId('signed-in')).toContainText(fullName);
});

for (const [key, code] of [
  ['expired', 'expired'],
  ['revoked', 'revoked'],
  ['gost_expired', 'expired'],
  ['gost_revoked', 'revoked'],
] as const) {
  test(`X-3 the ${key} demo key is refused with its message`, async ({ page }) => {
    await page.goto('/signin');
    await chooseDemoKey(page, key);
    await page.getByRole('button', { name: msg('kk', 'signin.demo.submit') }).click();
    const alert = page.getByTestId('signin-error');
    await expect(alert).toContainText(msg('kk', `signin.errors.${code}`));
    await expect(alert).toHaveAttribute('data-error-code', code);
    await expect(page).toHaveURL(/\/signin/);
    expect((await page.request.get('/api/auth/session').then((r) => r.json()))?.user ?? null).toBeNull();
  });
}

test('X-3 without NCALayer (nothing listens on 13579) the page says so and where to get it', async ({ page }) => {
  await page.goto('/signin');
  await page.getByRole('button', { name: msg('kk', 'signin.ncalayer.button') }).click();
  const alert = page.getByTestId('signin-error');
  await expect(alert).toContainText(msg('kk', 'signin.errors.ncalayer_missing'));
  await expect(alert).toContainText('https://ncl.pki.gov.kz/');
  await expectNoSeriousA11yViolations(page);
});
