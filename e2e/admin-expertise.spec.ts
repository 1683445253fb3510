import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { signInAs } from './helpers/auth';
import { msg } from './messages';

const kk = (key: string) => msg('kk', key);
/** ICU-escaped placeholders ('{ORG}') as the page shows them ({ORG}). */
const shown = (key: string) => kk(key).replace(/'(\{[^}]*\})'/g, '$1');

async function sign(page: Page, scope: Locator, label: string) {
  await scope.getByRole('button', { name: label }).click();
  const chooser = page.getByLabel(kk('sign.demo.chooseKey'), { exact: true });
  if (await chooser.isVisible().catch(() => false)) {
    await chooser.selectOption('operator');
    await expect(page.getByLabel(kk('sign.demo.passwordLabel'), { exact: true })).not.toHaveValue('');
    await page.getByRole('button', { name: kk('sign.demo.useKey') }).click();
  }
}

test('E-16 E-18 E-44 X-4 the operator sets a number template (previewed), the upload limits and a category’s durations, each signed', async ({ page }, info) => {
  test.setTimeout(180_000);
  // Both projects run against one server: each edits its own values.
  const phone = info.project.name === 'phone';
  const [template, expected] = phone ? ['{ORG}-{YY}-{SEQ:3}', /^AEX-\d{2}-001$/] : ['{ORG}/{YY}/{SEQ:4}', /^AEX\/\d{2}\/0001$/];
  const [part, largest] = phone ? ['6', '2048'] : ['8', '1024'];
  const category = phone ? 'level_3' : 'level_2';
  await signInAs(page, 'operator');
  await page.goto('/admin');
  await page.getByRole('link', { name: kk('admin.pages.expertise.title') }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(kk('adminExpertise.title'));
  await expect(page.getByText(shown('adminExpertise.orgsIntro'))).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // E-18: the template of a demo organisation; the preview follows the typing, an invalid one is refused beside the field.
  const org = page.getByTestId('expert-orgs').locator('li', { hasText: 'Astana Expert LLP (demo)' });
  await expect(org.getByTestId('next-number')).toHaveText(/^AEX.+1$/);
  await org.getByText(kk('adminExpertise.edit')).click();
  const form = org.locator('form');
  const field = form.getByLabel(kk('adminExpertise.fields.numberTemplate'));
  await field.fill('{ORG}-{SEQ}');
  await expect(form.locator('p.text-red-800')).toHaveText(shown('adminExpertise.templateProblems.noYear'), { timeout: 15_000 });
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await field.fill(template);
  await expect(form.getByTestId('number-preview').locator('span')).toHaveText(expected, { timeout: 15_000 });
  await sign(page, form, kk('adminExpertise.signSave'));
  await expect(form.getByTestId('sign-done')).toBeVisible({ timeout: 30_000 });
  await expect(org.getByTestId('next-number')).toHaveText(expected, { timeout: 15_000 });

  // E-16: the upload limits; a largest file smaller than a part is refused beside the field.
  const uploads = page.getByTestId('upload-form');
  await uploads.getByLabel(kk('adminExpertise.fields.chunkSizeMiB')).fill(part);
  await uploads.getByLabel(kk('adminExpertise.fields.maxFileMiB')).fill('4');
  await uploads.getByRole('button', { name: kk('adminExpertise.signSave') }).click();
  await expect(uploads.getByLabel(kk('adminExpertise.fields.maxFileMiB'))).toHaveAttribute('aria-invalid', 'true');
  await uploads.getByLabel(kk('adminExpertise.fields.maxFileMiB')).fill(largest);
  await sign(page, uploads, kk('adminExpertise.signSave'));
  await expect(page.getByTestId('upload-current')).toContainText(` ${part} `, { timeout: 30_000 });
  await expect(page.getByTestId('upload-current')).toContainText(` ${largest} `);

  // E-44: a seeded category is marked demo until the operator edits it.
  const level2 = page.getByTestId('deadline-configs').locator(`li[data-category="${category}"]`);
  await expect(level2.getByTestId('demo-mark')).toBeVisible();
  await level2.getByText(kk('adminExpertise.edit')).click();
  const dl = level2.locator('form');
  await dl.getByLabel(kk('adminExpertise.fields.completenessDays')).fill('4');
  await dl.getByLabel(kk('adminExpertise.fields.unit')).selectOption('calendar');
  await sign(page, dl, kk('adminExpertise.signSave'));
  await expect(level2.getByTestId('demo-mark')).toHaveCount(0, { timeout: 30_000 });
  await expect(level2.locator('p').first()).toContainText(kk('adminExpertise.units.calendar'));
  await expectNoSeriousA11yViolations(page);
});

test('X-11 an applicant cannot open the expertise settings', async ({ page }) => {
  await signInAs(page, 'individual');
  await page.goto('/admin/expertise');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(kk('admin.guard.forbiddenTitle'));
});
