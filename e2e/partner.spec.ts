import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { signInAs } from './helpers/auth';
import { msg } from './messages';

test('I-INT-1 I-INT-3 E-20 the administrator issues an API key (signed, shown once), the expert IS reads the feed with it, and a revoked key is refused at once', async ({ page }, info) => {
  test.setTimeout(240_000);
  const name = `Expert IS ${info.project.name} ${info.retry} ${Date.now()}`;
  await signInAs(page, 'operator');
  await page.goto('/admin/integrations');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', 'partner.admin.title'));
  await expectNoSeriousA11yViolations(page);

  const form = page.getByTestId('create-key-form');
  // The same zod schema as the server: the error is shown beside the field.
  await form.getByRole('button', { name: msg('kk', 'partner.admin.create') }).click();
  await expect(form.getByLabel(msg('kk', 'partner.admin.name'))).toHaveAttribute('aria-invalid', 'true');

  await form.getByLabel(msg('kk', 'partner.admin.kind')).selectOption('expert_is');
  await form.getByLabel(msg('kk', 'partner.admin.name')).fill(name);
  await form.getByRole('button', { name: msg('kk', 'partner.admin.create') }).click();
  await form.getByLabel(msg('kk', 'sign.demo.chooseKey'), { exact: true }).selectOption('operator');
  await expect(form.getByLabel(msg('kk', 'sign.demo.passwordLabel'), { exact: true })).not.toHaveValue('');
  await form.getByRole('button', { name: msg('kk', 'sign.demo.useKey') }).click();
  const issued = page.getByTestId('issued-key');
  await expect(issued).toContainText(msg('kk', 'partner.admin.shownOnce'), { timeout: 30_000 });
  const key = (await issued.locator('p.font-mono').innerText()).trim();
  expect(key).toMatch(/^btp_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/);

  // The expert IS reads its feed with the key (no session needed).
  const feed = await page.request.get('/api/v1/partner/expertise/applications', { headers: { authorization: `Bearer ${key}` } });
  expect(feed.status()).toBe(200);
  expect(await feed.json()).toMatchObject({ items: expect.any(Array) });

  // After a reload the key is not shown again; revoke it with a reason.
  await page.reload();
  await expect(page.getByTestId('issued-key')).toHaveCount(0);
  const prefix = key.split('_')[1];
  const item = page.locator(`[data-key-prefix="${prefix}"]`);
  await expect(item).toContainText(name);
  await expect(item.getByTestId('key-state')).toHaveText(msg('kk', 'partner.admin.state.active'));
  await expect(item).not.toContainText(key);
  await item.getByLabel(msg('kk', 'partner.admin.revokeReason').replace('{prefix}', prefix)).fill('Ақпараттық қауіпсіздік инциденті');
  await item.getByRole('button', { name: msg('kk', 'partner.admin.revoke') }).click();
  await expect(item.getByTestId('key-state')).toHaveText(msg('kk', 'partner.admin.state.revoked'), { timeout: 30_000 });

  const refused = await page.request.get('/api/v1/partner/expertise/applications', { headers: { authorization: `Bearer ${key}` } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe('api_key_revoked');
});
