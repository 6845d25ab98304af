// Sign-in and account hardening, as a browser and an attacker meet it.
import { expect, test } from "@playwright/test";
import { DEVICE_FREE_FAILURES } from "~/auth/throttle.server";
import { apiAs, createCoordinatorWithCohort, createUser, PASSWORD, signIn } from "../support/e2e";

test("a redirect target with a tab cannot send the signed-in browser off the site", async ({ page, baseURL }) => {
  const learner = await createUser({ role: "learner" });
  // Chromium drops the tab: `/\t/evil.example/phish` would be `//evil.example/phish`.
  await page.goto("/login?redirectTo=%2F%09%2Fevil.example%2Fphish");
  await signIn(page, learner.email, PASSWORD, { goto: false });
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
});

test("CR, LF or U+3000 in the redirect target give a redirect on this site, not a 500", async ({ baseURL }) => {
  const learner = await createUser({ role: "learner" });
  for (const redirectTo of ["/\r/evil.example", "/account\nSet-Cookie: x=1", "/\u3000/evil.example", "/progress\r\n"]) {
    const api = await apiAs(baseURL!);
    const res = await api.post("/login", { form: { email: learner.email, password: PASSWORD, redirectTo }, maxRedirects: 0 });
    expect(res.status(), JSON.stringify(redirectTo)).toBe(302);
    const location = res.headers()["location"]!;
    expect(location).toMatch(/^\/(?!\/)/);
    expect(new URL(location, baseURL).origin).toBe(new URL(baseURL!).origin);
    await api.dispose();
  }
});

test("the current-password check on /account is throttled like sign-in, even from a trusted browser", async ({ baseURL }) => {
  const learner = await createUser({ role: "learner" });
  const api = await apiAs(baseURL!, learner.email);
  const change = (currentPassword: string) =>
    api.post("/account", {
      form: { intent: "password", currentPassword, newPassword: "willow compass drift 8" },
      maxRedirects: 0,
    });
  // Signed in from this client, it holds a trusted device: the device's budget, then the wait.
  for (let i = 0; i < DEVICE_FREE_FAILURES; i++) expect((await change(`wrong guess ${i}`)).status()).toBe(400);
  const refused = await change(PASSWORD);
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await refused.text()).toMatch(/Too many failed sign-in attempts/);
});

test("the cohort page shows no text from ?deleted=", async ({ page }) => {
  const { coordinator, cohort } = await createCoordinatorWithCohort();
  await signIn(page, coordinator.email);
  await page.goto(`/coordinator/cohorts/${cohort.slug}?deleted=${encodeURIComponent("Your account is suspended. Call +1 555 0100")}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText(/Your account is suspended/)).toHaveCount(0);
});
