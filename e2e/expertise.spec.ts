import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { signInAs } from './helpers/auth';
import { msg } from './messages';

const kk = (key: string) => msg('kk', key);

/** The first signature in a tab asks for the demo SIGN key; later ones reuse it. */
async function signWithDemoKey(page: Page, scope: ReturnType<Page['locator']> | Page, key: string) {
  const chooser = scope.getByLabel(kk('sign.demo.chooseKey'), { exact: true });
  if (await chooser.isVisible().catch(() => false)) {
    await chooser.selectOption(key);
    await expect(scope.getByLabel(kk('sign.demo.passwordLabel'), { exact: true })).not.toHaveValue('');
    await scope.getByRole('button', { name: kk('sign.demo.useKey') }).click();
  }
}

test('E-16 E-17 E-19 E-21 E-48 an applicant submits a large file in resumable parts; the expert records completeness and issues remarks once', async ({ page: applicantPage, browser }, info) => {
  let page = applicantPage;
  test.skip(info.project.name !== 'desktop', 'the journey runs once, on the desktop project');
  test.setTimeout(300_000);

  // A 12 MiB file: three parts of the default 5 MiB. On disk, so that its lastModified (part of the tus
  // fingerprint) is the same when it is chosen again after the reload.
  const file = path.join(info.outputDir, 'design-documentation.pdf');
  fs.mkdirSync(info.outputDir, { recursive: true });
  fs.writeFileSync(file, crypto.randomBytes(12 * 1024 * 1024));

  await signInAs(page, 'individual');
  await page.goto('/expertise/applications/new');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(kk('expertiseApp.wizard.title'));
  await expectNoSeriousA11yViolations(page);

  // Step 1: the object (saved as the draft).
  await page.getByLabel(kk('expertiseApp.fields.objectName')).fill('Мектеп, 600 орын');
  await page.getByLabel(kk('expertiseApp.fields.region')).fill('Астана');
  await page.getByLabel(kk('expertiseApp.fields.address')).fill('Мәңгілік Ел даңғылы, 1');
  await page.getByLabel(kk('expertiseApp.fields.financingSource')).fill('Республикалық бюджет');
  await page.getByLabel(kk('expertiseApp.fields.category')).selectOption('level_2');
  await page.getByLabel(kk('expertiseApp.fields.workKind')).selectOption('new_construction');
  await page.getByRole('button', { name: kk('expertiseApp.wizard.saveNext') }).click();
  await expect(page).toHaveURL(/draft=/);

  // Step 2: E-19 only accredited, unblocked organisations are offered.
  await page.getByLabel(kk('expertiseApp.fields.expertOrg')).selectOption({ label: 'ТОО "САРАПТАМА ОРТАЛЫҒЫ"' });
  await page.getByRole('button', { name: kk('expertiseApp.wizard.saveNext') }).click();

  // Step 3: the upload, slowed down so that it can be watched and interrupted.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
  const slot = page.getByTestId('uploader-feasibility_study');
  await slot.locator('input[type=file]').setInputFiles(file);
  const bar = slot.getByRole('progressbar');
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000 }).toBeGreaterThanOrEqual(40);
  const before = Number(await bar.getAttribute('aria-valuenow'));
  expect(before).toBeLessThan(100);

  // The page is reloaded mid-upload: choosing the same file again continues from the server's offset.
  await page.reload();
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const again = page.getByTestId('uploader-feasibility_study');
  await again.locator('input[type=file]').setInputFiles(file);
  await expect(again).toContainText(kk('expertiseApp.upload.resumed'));
  await expect(again.getByRole('status')).toContainText('design-documentation.pdf', { timeout: 60_000 });

  // E-17: the document is certified with the applicant's EDS.
  await page.getByRole('button', { name: msg('kk', 'expertiseApp.wizard.certify').replace('{name}', 'design-documentation.pdf') }).click();
  await signWithDemoKey(page, page, 'individual');
  await expect(page.getByTestId('certified-feasibility_study')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: kk('expertiseApp.wizard.next') }).click();

  // Step 4: E-16 the submission signs the manifest of digests.
  await page.getByRole('button', { name: kk('expertiseApp.wizard.signSubmit') }).click();
  await signWithDemoKey(page, page, 'individual');
  const submitted = page.getByTestId('submitted');
  await expect(submitted).toBeVisible({ timeout: 30_000 });
  const number = (await page.getByTestId('app-number').innerText()).trim();
  expect(number).toMatch(/^E\d{6}-\d{4}-\d{5}$/);
  await expect(page.getByTestId('receipt-number')).toHaveText(number);
  await expectNoSeriousA11yViolations(page);

  await page.getByRole('link', { name: kk('expertiseApp.wizard.openApplication') }).click();
  await expect(page.getByTestId('app-title')).toContainText(number);
  await expect(page.getByTestId('timeline')).toContainText(kk('expertiseApp.events.registered'));
  await expect(page.getByTestId('deadlines')).toContainText(kk('expertiseApp.deadlineKinds.completeness'));
  await expectNoSeriousA11yViolations(page);

  // E-21: the expert organisation sees it in its queue at once.
  // The expert works in a browser context of its own.
  const expertContext = await browser.newContext({ baseURL: info.project.use.baseURL, locale: 'kk-KZ', timezoneId: 'America/New_York' });
  page = await expertContext.newPage();
  await signInAs(page, 'expert_head');
  await page.goto('/expertise/workspace');
  await expect(page.getByTestId('queue')).toContainText(number);
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('link', { name: new RegExp(number) }).click();

  // E-45: completeness recorded (positive), signed.
  await page.getByRole('button', { name: kk('expertiseWs.signCompleteness') }).click();
  await signWithDemoKey(page, page, 'expert_head');
  await expect(page.getByTestId('app-status')).toHaveText(kk('expertiseApp.status.in_review'), { timeout: 30_000 });

  // E-48: remarks once; a second attempt is refused with a message.
  await page.getByLabel(kk('expertiseWs.remarksText'), { exact: true }).fill('1. Сметаны толықтыру қажет.');
  await page.getByRole('button', { name: kk('expertiseWs.signRemarks') }).click();
  await expect(page.getByTestId('app-status')).toHaveText(kk('expertiseApp.status.remarks_issued'), { timeout: 30_000 });
  await page.getByRole('button', { name: kk('expertiseWs.signRemarks') }).click();
  await expect(page.getByTestId('sign-error')).toBeVisible({ timeout: 30_000 });
  await expertContext.close();
});
