import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { signInAs, signOut, type DemoUser } from './helpers/auth';
import { actor, sign } from './helpers/sign';
import { msg } from './messages';

/**
 * Issue 4 part 10: a new organisation's first head registers it with a demo key (attachments certified and the
 * agreement signed with EDS), the operator sees it in the queue with its deadline and confirms, the first head grants
 * an employee a role, the employee sees only what the role allows; the operator refuses another request with a
 * reason and the applicant reads it.
 *
 * Both projects may run against one server (one database): the desktop run registers the organisation as a
 * construction-portal user (C-6, 1 working day), the phone run as an expertise applicant (E-8, 3 working days); each
 * run ends by withdrawing the employee's role, so the next one starts from "no role" again.
 */

const ORG = 'ТОО "ЖАҢА ҚАЛА ҚҰРЫЛЫС"';
const k = (key: string) => msg('kk', key);
/** A message with its {placeholders} filled in. */
const kf = (key: string, params: Record<string, string | number>) => k(key).replace(/\{(\w+)\}/g, (_m, p: string) => String(params[p] ?? ''));

async function uploadAndCertify(page: Page, type: string, key: DemoUser) {
  const name = `${type}-${Date.now()}.pdf`;
  await page.locator(`input[name="reg-${type}"]`).setInputFiles({ name, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4 ${type} ${Math.random()}`) });
  await sign(page, kf('registration.form.certify', { name }), key);
  await expect(page.getByTestId(`certified-${type}`)).toContainText(name, { timeout: 30_000 });
}

async function fillContacts(page: Page, legal: boolean) {
  await page.getByLabel(k('registration.form.fields.phone'), { exact: true }).fill('+7 701 555 12 34');
  await page.getByLabel(k('registration.form.fields.email'), { exact: true }).fill(`reg-${Date.now()}@example.kz`);
  await page.getByLabel(k('registration.form.fields.address'), { exact: true }).fill('Астана, Мәңгілік Ел даңғылы, 8');
  if (legal) {
    await page.getByLabel(k('registration.form.fields.bankName'), { exact: true }).fill('Halyk Bank');
    await page.getByLabel(k('registration.form.fields.iban'), { exact: true }).fill('KZ12 6010 0000 0000 1234');
    await page.getByLabel(k('registration.form.fields.bic'), { exact: true }).fill('HSBKKZKX');
  }
}

async function expectNoAccess(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByTestId('access-denied')).toBeVisible();
}

test('C-6 E-8 E-7 X-12 X-11 X-8 a new organisation registers, the operator confirms within its deadline, the first head grants a role and the employee sees only what it allows', async ({ browser }, testInfo) => {
  test.setTimeout(900_000); // a busy 2-core machine: ~30 signed steps and page loads
  const phone = testInfo.project.name === 'phone';
  const kind = phone ? 'expertise' : 'construction';
  const agreement = phone ? 'user_agreement_expertise' : 'user_agreement_construction';
  const rule = phone ? 'E-8' : 'C-6';

  // The employee signs in once (so that the first head finds them) and has no access yet.
  const emp = await actor(browser, 'new_employee');
  await expectNoAccess(emp, '/expertise/applications/new');
  await expectNoAccess(emp, '/cabinet/organisation');

  // The first head of the new organisation registers it.
  const head = await actor(browser, 'new_first_head');
  if (!phone) await expectNoAccess(head, '/cabinet/organisation'); // not yet the first head of a registered organisation
  await head.goto('/register');
  await expect(head.getByRole('heading', { level: 1 })).toHaveText(k('registration.title'));
  await head.getByRole('link', { name: k(`registration.kinds.${kind}.title`) }).click();
  await expect(head.getByRole('heading', { level: 1 })).toHaveText(k(`registration.kinds.${kind}.title`));
  await expect(head.getByTestId(`form-version-${agreement}`)).toContainText('1'); // E-7: the version in force is shown
  await expectNoSeriousA11yViolations(head);

  // Submitting without documents shows the errors beside the fields (nothing is signed).
  await head.getByRole('button', { name: k('registration.form.signSubmit'), exact: true }).click();
  await expect(head.getByTestId('error-phone')).toHaveText(k('registration.form.errors.phone'));
  await expect(head.getByTestId('error-attachment_state_registration')).toHaveText(k('registration.form.errors.attachment_required'));

  await fillContacts(head, true);
  for (const type of ['state_registration', 'tax', 'bank_details']) await uploadAndCertify(head, type, 'new_first_head');
  await sign(head, kf('registration.form.signForm', { version: 1 }), 'new_first_head');
  await expect(head.getByTestId(`form-signed-${agreement}`)).toBeVisible({ timeout: 30_000 });
  await sign(head, k('registration.form.signSubmit'), 'new_first_head');
  await expect(head.getByTestId('registration-submitted')).toBeVisible({ timeout: 30_000 });
  await head.getByTestId('open-request').click();
  await head.waitForURL(/\/register\/requests\/[0-9a-f-]{36}$/);
  await expect(head.getByTestId('request-status')).toHaveAttribute('data-status', 'submitted');
  await expect(head.getByTestId('request-due-explanation')).toContainText(rule);
  await expectNoSeriousA11yViolations(head);
  // The cabinet's "my registrations" links to the request.
  await head.goto('/cabinet');
  await expect(head.getByTestId('cabinet-registration-link').first()).toHaveAttribute('href', /\/register\/requests\//);

  // The operator sees it in the queue with its deadline and explanation, downloads an attachment, and confirms.
  const op = await actor(browser, 'operator');
  await op.goto('/admin');
  await op.getByRole('link', { name: k('admin.pages.registrations.title') }).click();
  await expect(op.getByRole('heading', { level: 1 })).toHaveText(k('registration.queue.title'));
  const item = op.getByTestId('queue-item').filter({ hasText: ORG }).filter({ hasText: k(`registration.kind.${phone ? 'expertise_applicant' : 'construction_user'}`) });
  await expect(item).toBeVisible();
  await expect(item.getByTestId('queue-due')).toContainText(k('registration.queue.due').split('{')[0].trim());
  await expect(item).toContainText(`(${rule})`);
  await expectNoSeriousA11yViolations(op);
  await item.getByRole('link', { name: ORG }).click();
  const download = op.waitForEvent('download');
  await op.getByTestId('request-attachment-state_registration').getByRole('link').click();
  expect((await download).suggestedFilename()).toMatch(/^state_registration-\d+\.pdf$/);
  await expectNoSeriousA11yViolations(op);
  await sign(op, k('registration.decision.confirm'), 'operator');
  await expect(op.getByTestId('request-decision')).toContainText(k('registration.status.confirmed'), { timeout: 30_000 });

  // The first head signs in again, opens the organisation page and grants the employee a role (signed, X-12).
  await signOut(head);
  await signInAs(head, 'new_first_head');
  await head.goto('/register/requests/' + op.url().split('/').pop());
  await expect(head.getByTestId('request-status')).toHaveAttribute('data-status', 'confirmed');
  await head.goto('/cabinet');
  await head.getByTestId('cabinet-organisation-link').click();
  await expect(head.getByRole('heading', { level: 1 })).toHaveText(k('registration.org.title'));
  const empRow = head.getByTestId('org-member').filter({ hasText: 'ТӨЛЕГЕНОВА' });
  await expect(empRow.getByTestId('member-roles')).toHaveText(k('registration.org.noRoles'));
  await expectNoSeriousA11yViolations(head);
  const empIin = (await empRow.getAttribute('data-iin'))!;
  await head.getByLabel(k('registration.org.employee'), { exact: true }).selectOption(empIin);
  await head.getByLabel(k('registration.org.role'), { exact: true }).selectOption('applicant');
  await sign(head, k('registration.org.grant'), 'new_first_head');
  await expect(empRow.getByTestId('member-roles')).toContainText(k('registration.role.applicant'), { timeout: 30_000 });
  await expect(head.getByTestId('role-history')).toContainText(k('registration.org.signedEds'));

  // The employee now opens what the role allows, and still nothing else.
  await emp.goto('/expertise/applications/new');
  await expect(emp.getByTestId('access-denied')).toHaveCount(0);
  await expect(emp.getByRole('heading', { level: 1 })).toHaveText(k('expertiseApp.wizard.title'));
  await expectNoAccess(emp, '/admin/registrations');
  await expectNoAccess(emp, '/cabinet/organisation');

  // Withdrawing the role (signed) ends the employee's session at once (X-12, X-8: the account stays).
  await head.goto('/cabinet/organisation');
  await sign(head, kf('registration.org.withdraw', { role: k('registration.role.applicant') }), 'new_first_head');
  await expect(empRow.getByTestId('member-roles')).toHaveText(k('registration.org.noRoles'), { timeout: 30_000 });
  await expectNoAccess(emp, '/expertise/applications/new');
});

test('E-9 X-7 the operator refuses a request with a reason and the applicant reads it', async ({ browser }) => {
  test.setTimeout(600_000);
  const ind = await actor(browser, 'individual');
  await ind.goto('/register/expertise');
  await fillContacts(ind, false);
  await uploadAndCertify(ind, 'identity_document', 'individual');
  await sign(ind, kf('registration.form.signForm', { version: 1 }), 'individual');
  await expect(ind.getByTestId('form-signed-user_agreement_expertise')).toBeVisible({ timeout: 30_000 });
  await sign(ind, k('registration.form.signSubmit'), 'individual');
  await expect(ind.getByTestId('registration-submitted')).toBeVisible({ timeout: 30_000 });
  await ind.getByTestId('open-request').click();
  await ind.waitForURL(/\/register\/requests\/[0-9a-f-]{36}$/);
  const requestUrl = ind.url();

  const op = await actor(browser, 'operator');
  await op.goto('/admin/registrations?kind=expertise_applicant');
  await op.getByTestId('queue-item').filter({ hasText: 'СЕЙТҚАЛИЕВА' }).first().getByRole('link').click();
  // E-9: a reason is required for "data do not match" (shown beside the field, nothing signed).
  await op.getByLabel(k('registration.decision.ground'), { exact: true }).selectOption('data_mismatch');
  await op.getByRole('button', { name: k('registration.decision.refuse'), exact: true }).click();
  await expect(op.getByTestId('error-reason')).toHaveText(k('registration.form.errors.reason_required'));
  const reason = 'Жеке куәліктің нөмірі нысандағы деректерге сәйкес келмейді.';
  await op.getByLabel(k('registration.decision.reason'), { exact: true }).fill(reason);
  await sign(op, k('registration.decision.refuse'), 'operator');
  await expect(op.getByTestId('request-decision')).toContainText(k('registration.status.refused'), { timeout: 30_000 });

  await ind.goto(requestUrl);
  await expect(ind.getByTestId('request-status')).toHaveAttribute('data-status', 'refused');
  await expect(ind.getByTestId('refusal-ground')).toHaveText(k('registration.ground.data_mismatch'));
  await expect(ind.getByTestId('refusal-reason')).toHaveText(reason);
  await expectNoSeriousA11yViolations(ind);
  await ind.goto('/cabinet');
  await expect(ind.getByTestId('cabinet-notifications')).toContainText(reason);
});
