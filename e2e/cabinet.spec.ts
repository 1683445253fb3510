import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { signInAs } from './helpers/auth';
import { msg } from './messages';

test('X-7 the cabinet asks a signed-out visitor to sign in', async ({ page }) => {
  await page.goto('/cabinet');
  await expect(page.getByTestId('cabinet-signin')).toContainText(msg('kk', 'cabinet.signInRequired'));
});

test('X-7 X-4 a signed-in user sees their cabinet and changes the contact e-mail through a signed action', async ({ page }) => {
  const { fullName } = await signInAs(page, 'individual');
  await page.goto('/cabinet');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', 'cabinet.title'));
  await expect(page.getByRole('heading', { name: msg('kk', 'cabinet.notifications.title') })).toBeVisible();
  await expect(page.getByTestId('cabinet-notifications')).toContainText(msg('kk', 'cabinet.notifications.noEds'));
  await expect(page.getByTestId('cabinet-roles')).toContainText(fullName);
  await expectNoSeriousA11yViolations(page);

  const email = `e2e-${Date.now()}@example.kz`;
  await page.getByLabel(msg('kk', 'cabinet.profile.emailLabel'), { exact: true }).fill(email);
  await page.getByRole('button', { name: msg('kk', 'cabinet.profile.save') }).click();
  // First signature in this tab: choose the demo SIGN key (its password is filled in from the list).
  await page.getByLabel(msg('kk', 'sign.demo.chooseKey'), { exact: true }).selectOption('individual');
  await expect(page.getByLabel(msg('kk', 'sign.demo.passwordLabel'), { exact: true })).not.toHaveValue('');
  await page.getByRole('button', { name: msg('kk', 'sign.demo.useKey') }).click();
  await expect(page.getByTestId('sign-done')).toHaveText(msg('kk', 'cabinet.profile.saved'), { timeout: 30_000 });
  await expect(page.getByTestId('cabinet-email')).toContainText(email);

  // The key is remembered for the tab: a second change signs without asking again.
  const second = `e2e2-${Date.now()}@example.kz`;
  await page.getByLabel(msg('kk', 'cabinet.profile.emailLabel'), { exact: true }).fill(second);
  await page.getByRole('button', { name: msg('kk', 'cabinet.profile.save') }).click();
  await expect(page.getByTestId('cabinet-email')).toContainText(second, { timeout: 30_000 });
  await page.reload();
  await expect(page.getByTestId('cabinet-email')).toContainText(second);
});
