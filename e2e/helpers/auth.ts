import { expect, type Page } from '@playwright/test';
import { msg } from '../messages';

export type DemoUser = 'operator' | 'individual' | 'first_head' | 'employee' | 'signing_rights' | 'expert_head' | 'new_first_head' | 'new_employee' | 'oversight' | 'env_authority' | 'gost_individual' | 'gost_first_head' | 'water_utility' | 'akimat';

/**
 * Signs the page's browser context in through the real /signin page with a demo key (EDS test mode): picks the
 * key from the demo list (its password is filled in from the list), submits, and waits until the session exists.
 * The browser signs the server's nonce with the key file (WebCrypto); the server verifies it like any EDS.
 */
export async function signInAs(page: Page, name: DemoUser, opts: { callbackUrl?: string } = {}): Promise<{ fullName: string }> {
  const url = opts.callbackUrl ? `/signin?callbackUrl=${encodeURIComponent(opts.callbackUrl)}` : '/signin';
  await page.goto(url);
  const fullName = (await page.locator(`tr[data-demo-key="${name}"] td`).nth(1).innerText()).trim();
  await chooseDemoKey(page, name);
  await page.getByRole('button', { name: msg('kk', 'signin.demo.submit') }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 30_000 });
  await expect.poll(async () => (await page.request.get('/api/auth/session').then((r) => r.json()))?.user?.name ?? null).toBe(fullName);
  return { fullName };
}

/** Picks a demo key in the sign-in form (the password field is filled in with its password). */
export async function chooseDemoKey(page: Page, name: string): Promise<void> {
  const select = page.getByLabel(msg('kk', 'signin.demo.chooseKey'), { exact: true });
  await select.selectOption(name);
  await expect(page.getByLabel(msg('kk', 'signin.demo.passwordLabel'), { exact: true })).not.toHaveValue('');
}

/** Signs out through the page (the sign-out button of the header's user menu). */
export async function signOut(page: Page): Promise<void> {
  await page.goto('/signin');
  await page.getByTestId('user-menu').getByRole('button', { name: msg('kk', 'signin.signOut') }).click();
  await page.waitForURL((u) => u.pathname === '/');
}
