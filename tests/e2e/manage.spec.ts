import { expect, test } from "@playwright/test";
import { makeCohort } from "~/models/factories.server";
import { createInvitations } from "~/models/invitation.server";
import { createCoordinatorWithCohort, createUser, expectNoAxeViolations, PASSWORD, signIn, signOut, submitSignIn } from "../support/e2e";

test("account: rename, change password (other sessions end), sign out everywhere", async ({ browser }) => {
  const learner = await createUser({ role: "learner", cohortId: makeCohort().id });
  const other = await (await browser.newContext()).newPage();
  await signIn(other, learner.email);
  await expect(other.getByRole("heading", { name: /Welcome/ })).toBeVisible();

  const page = await (await browser.newContext()).newPage();
  await signIn(page, learner.email);
  await page.getByRole("link", { name: "Account" }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel("Full name").fill("Renamed Person");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByRole("status")).toHaveText(/Your name is saved/);

  await page.getByLabel("Current password").fill("not the password");
  await page.getByLabel("New password").fill("willow compass drift 8");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your current password is not correct.")).toBeVisible();

  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password").fill("willow compass drift 8");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toHaveText(/Every other device has been signed out/);

  await other.reload();
  await expect(other.getByRole("heading", { name: "Sign in" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page.getByText("You have been signed out on every device.")).toBeVisible();
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount/);
  await signIn(page, learner.email, "willow compass drift 8", { goto: false });
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByLabel("Full name")).toHaveValue("Renamed Person");
});

test("coordinator revokes an invitation, deactivates a member, and issues a password link", async ({ browser }) => {
  const { coordinator, cohort } = await createCoordinatorWithCohort();
  const learner = await createUser({ role: "learner", cohortId: cohort.id, name: "Lena Learner" });
  const [code] = createInvitations({ cohortId: cohort.id, role: "learner", createdBy: coordinator.id }).codes;

  const learnerPage = await (await browser.newContext()).newPage();
  await signIn(learnerPage, learner.email);
  await expect(learnerPage.getByRole("heading", { name: "Welcome, Lena Learner" })).toBeVisible();

  const page = await (await browser.newContext()).newPage();
  await signIn(page, coordinator.email);
  await page.goto(`/coordinator/cohorts/${cohort.slug}`);
  await page.getByRole("button", { name: /^Revoke/ }).click();
  await expect(page.getByRole("status")).toHaveText(/revoked/);
  await expect(page.getByRole("cell", { name: "Revoked", exact: true })).toBeVisible();
  await page.goto(`/join/${code}`);
  await expect(page.getByText(/withdrawn/)).toBeVisible();

  await page.goto(`/coordinator/cohorts/${cohort.slug}`);
  await page.getByRole("button", { name: "Deactivate Lena Learner" }).click();
  await expect(page.getByRole("status")).toHaveText(/Lena Learner is deactivated/);
  await expect(page.getByRole("region", { name: "Members" }).getByRole("row", { name: /Lena Learner/ })).toContainText("Deactivated");
  await learnerPage.reload();
  await expect(learnerPage.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await submitSignIn(learnerPage, learner.email);
  await expect(learnerPage.getByRole("alert")).toHaveText(/deactivated/);

  await page.getByRole("button", { name: "Reactivate Lena Learner" }).click();
  await expect(page.getByRole("status")).toHaveText(/can sign in again/);
  await page.getByRole("button", { name: "Password link for Lena Learner" }).click();
  const link = await page.getByLabel("Links, one per line").inputValue();
  expect(link).toMatch(/\/reset\/[\w-]{43}$/);
  await expectNoAxeViolations(page);

  // Existing coordinators can be added by email; learners cannot.
  const colleague = await createUser({ role: "coordinator", name: "Colm Colleague" });
  await page.getByLabel("Coordinator's email address").fill(learner.email);
  await page.getByRole("button", { name: "Add coordinator" }).click();
  await expect(page.getByText(/No active coordinator account has this email address/)).toBeVisible();
  await page.getByLabel("Coordinator's email address").fill(colleague.email);
  await page.getByRole("button", { name: "Add coordinator" }).click();
  await expect(page.getByRole("status")).toHaveText(/Colm Colleague now coordinates this cohort/);

  await learnerPage.goto(link);
  await expect(learnerPage.getByRole("heading", { name: "Set your password" })).toBeVisible();
  await expectNoAxeViolations(learnerPage);
  await learnerPage.getByLabel("New password").fill("saffron beacon ladder 4");
  await learnerPage.getByRole("button", { name: "Set password" }).click();
  await expect(learnerPage.getByText("Your new password is set. Sign in with it.")).toBeVisible();
  await signIn(learnerPage, learner.email, "saffron beacon ladder 4");
  await expect(learnerPage.getByRole("heading", { name: "Welcome, Lena Learner" })).toBeVisible();
  await learnerPage.goto(link);
  await expect(learnerPage.getByRole("heading", { name: "This link cannot be used" })).toBeVisible();
});

test("every journey works by keyboard alone, starting from the skip link", async ({ page }) => {
  const { coordinator } = await createCoordinatorWithCohort();
  await page.goto("/login");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to main content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Email address")).toBeFocused();
  await page.keyboard.type(coordinator.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Your cohorts" })).toBeVisible();

  // Reach the cohort form and create one without a mouse.
  await page.getByLabel("Name", { exact: true }).focus();
  await page.keyboard.type("Keyboard cohort");
  await page.keyboard.press("Tab");
  await page.keyboard.type(`kbd-${Date.now()}`);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Create cohort" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Keyboard cohort" })).toBeVisible();
  await signOut(page);
});

test("pages for every role pass axe, including the error pages", async ({ page }) => {
  const instructor = await createUser({ role: "instructor" });
  await page.goto("/login");
  await expectNoAxeViolations(page);
  await page.goto("/join/unknown-code");
  await expectNoAxeViolations(page);
  await page.goto("/no/such/page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expectNoAxeViolations(page);
  await signIn(page, instructor.email);
  await expect(page.getByRole("heading", { name: "Course authoring" })).toBeVisible();
  await expectNoAxeViolations(page);
  for (const path of ["/glossary", "/sources"]) {
    await page.goto(path);
    await expectNoAxeViolations(page);
  }
  await page.goto("/coordinator/cohorts");
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/account");
  await expectNoAxeViolations(page);
});
