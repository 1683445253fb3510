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

test('E-16 E-17 E-19 E-21 E-45 E-46 E-48 E-50 E-51 X-5 the whole journey: a large file in resumable parts, completeness, remarks once, a new version, a revised document, the conclusion held until payment, then downloaded', async ({ page: applicantPage, browser }, info) => {
  let page = applicantPage;
  test.skip(info.project.name !== 'desktop', 'the journey runs once, on the desktop project');
  test.setTimeout(600_000);

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
  const expert = page;
  const workspaceUrl = expert.url();

  // E-48 E-51: the applicant answers the remarks with a new version of its document, certified with its EDS.
  const applicant = applicantPage;
  await applicant.reload();
  await expect(applicant.getByTestId('app-status')).toHaveText(kk('expertiseApp.status.remarks_issued'));
  await expect(applicant.getByTestId('timeline')).toContainText(kk('expertiseApp.events.remarks_issued'));
  const answer = smallFile(info.outputDir, 'design-documentation-v2.pdf', 'design v2');
  await applicant.getByLabel(kk('expertiseApp.detail.versionSlot'), { exact: true }).selectOption('feasibility_study');
  await uploadInto(applicant, 'new-version', answer.path);
  await applicant.getByRole('button', { name: kk('expertiseApp.detail.signVersion'), exact: true }).click();
  await signWithDemoKey(applicant, applicant, 'individual');
  await expect(applicant.getByTestId('app-status')).toHaveText(kk('expertiseApp.status.in_review'), { timeout: 30_000 });
  await expect(applicant.getByTestId('documents')).toContainText('design-documentation-v2.pdf');
  await expectNoSeriousA11yViolations(applicant);

  // E-46 E-50: the expert issues a document for agreement, signed; it reaches the applicant.
  await expert.goto(workspaceUrl);
  await expect(expert.getByTestId('documents')).toContainText('design-documentation-v2.pdf');
  const agreement = smallFile(info.outputDir, 'agreement-v1.pdf', 'agreement v1');
  await expert.getByLabel(kk('expertiseWs.issueSlot'), { exact: true }).selectOption('agreement');
  await uploadInto(expert, 'issue', agreement.path);
  await expert.getByRole('button', { name: kk('expertiseWs.signIssue'), exact: true }).click();
  await signWithDemoKey(expert, expert, 'expert_head');
  await expect(expert.getByTestId('documents')).toContainText('agreement-v1.pdf', { timeout: 30_000 });

  // E-51: the expert changes it: the applicant is notified first, the annulment is certified, the new version delivered.
  await expect(expert.getByLabel(kk('expertiseWs.reviseDocument'))).toBeVisible();
  await expert.getByLabel(kk('expertiseWs.reviseReason')).fill('Келісім мерзімі түзетілді');
  const agreement2 = smallFile(info.outputDir, 'agreement-v2.pdf', 'agreement v2');
  await uploadInto(expert, 'revise', agreement2.path);
  await expert.getByRole('button', { name: kk('expertiseWs.signRevise'), exact: true }).click();
  await signWithDemoKey(expert, expert, 'expert_head');
  await expect(expert.getByTestId('documents')).toContainText('agreement-v2.pdf', { timeout: 30_000 });

  await applicant.reload();
  const docs = applicant.getByTestId('documents');
  // The history keeps every version: the annulled v1 (struck through) and v2.
  await expect(docs.locator('tr', { hasText: 'agreement-v1.pdf' })).toHaveClass(/line-through/);
  await expect(docs.locator('tr', { hasText: 'agreement-v2.pdf' })).not.toHaveClass(/line-through/);
  await expect(docs.locator('tr', { hasText: 'design-documentation.pdf' })).toBeVisible();
  const events = await applicant.getByTestId('timeline').innerText();
  const notified = events.lastIndexOf(kk('expertiseApp.events.applicant_notified'));
  const annulled = events.lastIndexOf(kk('expertiseApp.events.document_annulled'));
  const delivered = events.lastIndexOf(kk('expertiseApp.events.document_delivered'));
  expect(notified).toBeGreaterThan(-1);
  expect(notified).toBeLessThan(annulled);
  expect(annulled).toBeLessThan(delivered);

  // E-50: the expert signs the consolidated conclusion; the applicant sees that it exists and why it is held.
  const conclusion = smallFile(info.outputDir, 'conclusion.pdf', 'the consolidated conclusion');
  await uploadInto(expert, 'conclusion', conclusion.path);
  await expert.getByRole('button', { name: kk('expertiseWs.signConclusion'), exact: true }).click();
  await signWithDemoKey(expert, expert, 'expert_head');
  await expect(expert.getByTestId('app-status')).toHaveText(kk('expertiseApp.status.conclusion_signed'), { timeout: 30_000 });

  await applicant.reload();
  await expect(applicant.getByTestId('app-status')).toHaveText(kk('expertiseApp.status.conclusion_signed'));
  await expect(applicant.getByTestId('conclusion')).toContainText(kk('expertiseApp.detail.conclusionHeld'));
  await expect(applicant.getByRole('link', { name: /conclusion\.pdf/ })).toHaveCount(0);
  await expectNoSeriousA11yViolations(applicant);

  // E-50: the expert organisation confirms the payment (signed); the conclusion is released.
  await expert.getByLabel(kk('expertiseWs.paymentBasis')).fill('Төлем тапсырмасы №17');
  await expert.getByRole('button', { name: kk('expertiseWs.signPayment'), exact: true }).click();
  await signWithDemoKey(expert, expert, 'expert_head');
  await expect(expert.getByTestId('app-status')).toHaveText(kk('expertiseApp.status.conclusion_released'), { timeout: 30_000 });
  await expertContext.close();

  // The applicant downloads the signed conclusion: exactly the bytes the expert uploaded.
  await applicant.reload();
  await expect(applicant.getByTestId('app-status')).toHaveText(kk('expertiseApp.status.conclusion_released'));
  const link = applicant.getByRole('link', { name: msg('kk', 'expertiseApp.detail.downloadConclusion').replace('{name}', 'conclusion.pdf') });
  const [download] = await Promise.all([applicant.waitForEvent('download'), link.click()]);
  const saved = path.join(info.outputDir, 'downloaded-conclusion.pdf');
  await download.saveAs(saved);
  expect(sha256(fs.readFileSync(saved))).toBe(conclusion.sha256);
  await expectNoSeriousA11yViolations(applicant);
});

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** A small file on disk (its name is what the portal shows); returns its path and SHA-256. */
function smallFile(dir: string, name: string, text: string): { path: string; sha256: string } {
  const bytes = Buffer.concat([Buffer.from(`%PDF-1.4\n% ${text}\n`), crypto.randomBytes(2048)]);
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return { path: p, sha256: sha256(bytes) };
}

/** Chooses a file in the named uploader and waits until the upload is finished. */
async function uploadInto(page: Page, name: string, file: string) {
  const up = page.getByTestId(`uploader-${name}`);
  await up.locator('input[type=file]').setInputFiles(file);
  await expect(up.getByRole('status')).toContainText(path.basename(file), { timeout: 60_000 });
}
