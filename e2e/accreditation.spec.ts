import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { signInAs } from './helpers/auth';
import { msg } from './messages';

/**
 * E-12..E-14, E-41, E-42, E-7, X-4, X-13: the public list of accredited expert organisations, the operator blocking
 * one (signed) and publishing a new agreement version (signed). Desktop and phone share one server and database,
 * so each project works on its own seeded demo organisation and its own form texts.
 */

const ORGS = {
  desktop: { bin: '990140000022', name: 'Astana Expert LLP (demo)' },
  phone: { bin: '990140000011', name: 'State Expertise RSE (demo)' },
} as const;

type ApiBody = { version: number; count: number; organisations: { name: string; bin: string; certificate: { number: string }; status: string }[] };

async function apiBins(page: Page): Promise<string[]> {
  const res = await page.request.get('/api/v1/expertise/organisations');
  expect(res.status()).toBe(200);
  expect(res.headers()['cache-control']).toContain('max-age=');
  const body = (await res.json()) as ApiBody;
  expect(body.version).toBe(1);
  return body.organisations.map((o) => o.bin);
}

/** The first signature in a tab asks for the demo SIGN key; later ones reuse it. */
async function sign(scope: Locator, buttonName: string) {
  await scope.getByRole('button', { name: buttonName }).click();
  const chooser = scope.getByLabel(msg('kk', 'sign.demo.chooseKey'), { exact: true });
  if (await chooser.isVisible({ timeout: 3_000 }).catch(() => false)) {
    await chooser.selectOption('operator');
    await expect(scope.getByLabel(msg('kk', 'sign.demo.passwordLabel'), { exact: true })).not.toHaveValue('');
    await scope.getByRole('button', { name: msg('kk', 'sign.demo.useKey') }).click();
  }
}

test('E-12 E-13 E-42 X-4 a visitor finds an accredited organisation; the operator blocks it (signed) and it leaves the page and the JSON', async ({ page }, info) => {
  test.setTimeout(180_000);
  const org = info.project.name === 'phone' ? ORGS.phone : ORGS.desktop;

  // A visitor, not signed in, opens the public list and finds the organisation (searching by BIN too).
  await page.goto('/expertise/organisations');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', 'expertOrgs.title'));
  const row = page.locator(`tr[data-bin="${org.bin}"]`);
  await expect(row).toContainText(org.name);
  await expect(row).toContainText(msg('kk', 'expertOrgs.statusAccredited'));
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel(msg('kk', 'expertOrgs.searchLabel')).fill(org.bin);
  await page.getByRole('button', { name: msg('kk', 'expertOrgs.search'), exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`q=${org.bin}`));
  await expect(page.getByTestId('org-table').locator('tbody tr')).toHaveCount(1);
  expect(await apiBins(page)).toContain(org.bin);

  // The operator blocks it on an E-13 ground, signing with the SIGN key.
  await signInAs(page, 'operator');
  await page.goto('/admin/expert-organisations');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', 'adminExpertOrgs.title'));
  const card = page.locator(`li[data-bin="${org.bin}"]`);
  await expect(card).toHaveAttribute('data-listed', 'true');
  await card.getByText(msg('kk', 'adminExpertOrgs.block.heading')).click();
  const form = card.getByTestId('block-form');
  // The basis is required: the error is shown beside the field.
  await form.getByRole('button', { name: msg('kk', 'adminExpertOrgs.block.submit') }).click();
  await expect(form.getByLabel(msg('kk', 'adminExpertOrgs.block.basis'))).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel(msg('kk', 'adminExpertOrgs.block.ground')).selectOption('agreement_breached');
  await form.getByLabel(msg('kk', 'adminExpertOrgs.block.basis')).fill('Тексеру актісі № 12, 30.04.2026');
  await sign(form, msg('kk', 'adminExpertOrgs.block.submit'));
  // The page refreshes after the signed change: the card now shows the block (and no block form any more).
  await expect(card).toHaveAttribute('data-listed', 'false', { timeout: 30_000 });
  await expect(card).toContainText(msg('kk', 'adminExpertOrgs.blocked'));
  await expect(card).toContainText(msg('kk', 'adminExpertOrgs.grounds.agreement_breached'));
  await expect(card).toContainText(msg('kk', 'adminExpertOrgs.unblockNote'));
  await expectNoSeriousA11yViolations(page);

  // Gone from the public page and from the JSON.
  await page.goto('/expertise/organisations');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', 'expertOrgs.title'));
  await expect(page.locator(`tr[data-bin="${org.bin}"]`)).toHaveCount(0);
  expect(await apiBins(page)).not.toContain(org.bin);

  // X-9 / X-13: the block and its signature are in the journal of users' actions.
  await page.goto(`/admin/oversight?system=expertise&action=expert_org.block`);
  const journal = page.getByTestId('oversight-table');
  await expect(journal.locator('tbody tr').first()).toContainText('expert_org.block');
  await expect(journal.locator('tbody tr').first()).toContainText(msg('kk', 'oversight.signedYes'));
  await expectNoSeriousA11yViolations(page);
});

test('E-7 X-4 the operator publishes a new agreement version (signed) and it is in force', async ({ page }, info) => {
  test.setTimeout(180_000);
  const title = `Сараптама ұйымымен келісім (${info.project.name}, ${Date.now()})`;
  await signInAs(page, 'operator');
  await page.goto('/admin/forms');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', 'formsAdmin.title'));
  const section = page.locator('section[data-kind="expert_org_agreement"]');
  const before = await section.locator('tbody tr').count();
  expect(before).toBeGreaterThan(0);
  await expectNoSeriousA11yViolations(page);

  const form = page.getByTestId('publish-form');
  await form.getByLabel(msg('kk', 'formsAdmin.fields.kind')).selectOption('expert_org_agreement');
  await form.getByLabel(msg('kk', 'formsAdmin.fields.titleKk')).fill(title);
  await form.getByLabel(msg('kk', 'formsAdmin.fields.titleRu')).fill('Соглашение с экспертной организацией (новая редакция)');
  await form.getByLabel(msg('kk', 'formsAdmin.fields.bodyKk')).fill('1. Ұйым аккредиттеу куәлігінің қолданылу мерзімі ішінде порталға қатысады.');
  await form.getByLabel(msg('kk', 'formsAdmin.fields.bodyRu')).fill('1. Организация участвует в портале в течение срока действия свидетельства.');
  await sign(form, msg('kk', 'formsAdmin.publish'));
  await expect(form.getByTestId('sign-done')).toContainText('-нұсқа', { timeout: 30_000 });

  await page.reload();
  await expect(section.locator('tbody tr')).toHaveCount(before + 1);
  const newest = section.locator('tbody tr').first();
  await expect(newest).toContainText(title);
  await expect(newest).toHaveAttribute('data-state', 'inForce');
  await expect(section.locator('tbody tr[data-state="inForce"]')).toHaveCount(1);

  // E-15: the tariffs page lists the seeded tariffs; the admin index links every page of this area.
  await page.goto('/admin/tariffs');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', 'tariffsAdmin.title'));
  await expect(page.getByTestId('tariffs-table').locator('tbody tr')).not.toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
  await page.goto('/admin');
  for (const key of ['expertOrganisations', 'tariffs', 'forms', 'oversight']) {
    await expect(page.getByRole('link', { name: msg('kk', `admin.pages.${key}.title`) })).toBeVisible();
  }
});

test('X-13 C-16 X-11 the state control body signs in and monitors users’ actions read-only; operator pages are refused', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, 'oversight');
  await page.goto('/admin/oversight?system=identity');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', 'oversight.title'));
  // Its own sign-in is in the journal; the page has filters but nothing that changes data.
  await expect(page.getByTestId('oversight-table').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByRole('button', { name: msg('kk', 'oversight.filters.apply') })).toBeVisible();
  await expect(page.locator('main form[method="post"], main [data-testid$="-form"]')).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
  // Expert organisations: read-only (no block or reconfirm forms); tariffs and forms: no access.
  await page.goto('/admin/expert-organisations');
  await expect(page.getByText(msg('kk', 'adminExpertOrgs.readOnly'))).toBeVisible();
  await expect(page.getByTestId('block-form')).toHaveCount(0);
  for (const path of ['/admin/tariffs', '/admin/forms']) {
    await page.goto(path);
    await expect(page.getByTestId('access-denied')).toHaveAttribute('data-reason', 'forbidden');
  }
});
