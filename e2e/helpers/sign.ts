import { expect, type Browser, type Page } from '@playwright/test';
import { msg } from '../messages';
import { signInAs, type DemoUser } from './auth';

/** A new browser context (its own session) signed in as a demo user. */
export async function actor(browser: Browser, who: DemoUser): Promise<Page> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signInAs(page, who);
  return page;
}

/** Clicks a <SignButton>; the first signature in a tab chooses the demo SIGN key (kept for the tab afterwards). */
const keyChosen = new WeakSet<Page>();
export async function sign(page: Page, label: string, key: DemoUser): Promise<void> {
  await page.getByRole('button', { name: label, exact: true }).click();
  if (!keyChosen.has(page)) {
    await page.getByLabel(msg('kk', 'sign.demo.chooseKey'), { exact: true }).selectOption(key);
    await expect(page.getByLabel(msg('kk', 'sign.demo.passwordLabel'), { exact: true })).not.toHaveValue('');
    await page.getByRole('button', { name: msg('kk', 'sign.demo.useKey') }).click();
    keyChosen.add(page);
  }
}
