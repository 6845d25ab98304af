import { expect, test } from "@playwright/test";
import { createCoordinatorWithCohort, expectNoAxeViolations, signIn, signOut, unique } from "../support/e2e";

test("coordinator invites a learner, who registers, signs out and signs in again", async ({ page }) => {
  const { coordinator } = await createCoordinatorWithCohort();

  await signIn(page, coordinator.email);
  await expect(page).toHaveURL(/\/coordinator\/cohorts$/);
  await expect(page.getByRole("heading", { name: "Your cohorts" })).toBeVisible();
  await expectNoAxeViolations(page);

  const cohortName = `Montevideo ${unique("c")}`;
  await page.getByLabel("Name", { exact: true }).fill(cohortName);
  await page.getByLabel("Slug").fill(unique("mvd"));
  await page.getByLabel("Edition").selectOption({ label: "Uruguay" });
  await page.getByRole("button", { name: "Create cohort" }).click();
  await expect(page.getByRole("heading", { level: 1, name: cohortName })).toBeVisible();
  await expect(page.getByText("Uruguay edition")).toBeVisible();

  await page.getByLabel("Role").selectOption("learner");
  await page.getByLabel("Number of invitations").fill("1");
  await page.getByRole("button", { name: "Create invitations" }).click();
  await expect(page.getByRole("status")).toContainText("1 invitation created");
  const link = await page.getByLabel("Links, one per line").inputValue();
  expect(link).toMatch(/\/join\/[\w-]{43}$/);
  await expect(page.getByRole("row").filter({ hasText: "Pending" })).toHaveCount(1);
  await expectNoAxeViolations(page);
  await signOut(page);

  const email = `${unique("learner")}@mrree.example`;
  await page.goto(link);
  await expect(page.getByRole("heading", { name: `Join ${cohortName}` })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel("Full name").fill("María Fernández");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("river lantern harbour 7");
  await page.getByLabel("Country").fill("Uruguay");
  await page.getByRole("button", { name: "Create my account" }).click();

  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: "Welcome, María Fernández" })).toBeVisible();
  await expect(page.getByText(cohortName)).toBeVisible();
  await expectNoAxeViolations(page);
  await signOut(page);

  await signIn(page, email, "river lantern harbour 7");
  await expect(page.getByRole("heading", { name: "Welcome, María Fernández" })).toBeVisible();

  // The coordinator now sees the learner and the used invitation.
  await signOut(page);
  await signIn(page, coordinator.email);
  await page.getByRole("link", { name: cohortName }).click();
  await expect(page.getByRole("row").filter({ hasText: "María Fernández" }).first()).toBeVisible();
  await expect(page.getByText("Used by María Fernández")).toBeVisible();
});
