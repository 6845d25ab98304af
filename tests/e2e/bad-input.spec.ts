import { expect, test } from "@playwright/test";
import { eq, sql } from "drizzle-orm";
import { getDb } from "~/db/client.server";
import { invitations, signInFailures, users } from "~/db/schema";
import { createInvitations } from "~/models/invitation.server";
import { apiAs, createCoordinatorWithCohort, createUser, submitSignIn } from "../support/e2e";

const userCount = () => getDb().select({ n: sql<number>`count(*)` }).from(users).get()?.n ?? 0;
const failuresFor = (email: string) =>
  getDb().select().from(signInFailures).where(eq(signInFailures.key, email)).all().length;

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a wrong password or unknown email gets one generic message, and is counted", async ({ page }) => {
    const learner = await createUser({ role: "learner" });
    await submitSignIn(page, learner.email, "not my password at all");
    await expect(page.getByRole("alert")).toHaveText(/The email address or password is not correct/);
    await expect(page.getByLabel("Email address")).toHaveValue(learner.email);
    await expect(page.getByLabel("Password")).toHaveValue("");
    expect(failuresFor(learner.email)).toBe(1);
    await submitSignIn(page, "nobody-here@e2e.example", "not my password at all");
    await expect(page.getByRole("alert")).toHaveText(/The email address or password is not correct/);
  });

  test("sign-in with empty fields names each missing field", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Enter your email address.")).toBeVisible();
    await expect(page.getByText("Enter your password.")).toBeVisible();
    await expect(page.getByLabel("Email address")).toHaveAttribute("aria-invalid", "true");
  });

  test("registration shows every problem in one round and keeps what was typed, creating nothing", async ({ page }) => {
    const { cohort } = await createCoordinatorWithCohort();
    const [code] = createInvitations({ cohortId: cohort.id, role: "learner", createdBy: null }).codes;
    const before = userCount();

    await page.goto(`/join/${code}`);
    await page.getByRole("button", { name: "Create my account" }).click();
    await expect(page.getByText("Enter your full name.")).toBeVisible();
    await expect(page.getByText(/Enter a valid email address/)).toBeVisible();
    await expect(page.getByText("Choose a password.")).toBeVisible();
    await expect(page.getByText("Enter the country you serve.")).toBeVisible();

    // A name with a direction override, a malformed address and a common password: all at once.
    await page.getByLabel("Full name").fill("Jonas \u202EgreB");
    await page.getByLabel("Email address").fill("jonas.berg@");
    await page.getByLabel("Country").fill("Norway");
    await page.getByLabel("Password").fill("password1234");
    await page.getByRole("button", { name: "Create my account" }).click();
    await expect(page.getByText(/invisible or control characters/)).toBeVisible();
    await expect(page.getByText(/Enter a valid email address/)).toBeVisible();
    await expect(page.getByText(/too common/)).toBeVisible();
    await expect(page.getByLabel("Country")).toHaveValue("Norway");

    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create my account" }).click();
    await expect(page.getByText("Use at least 12 characters.")).toBeVisible();
    await expect(page.getByText(/Enter a valid email address/)).toBeVisible();

    expect(userCount()).toBe(before);
    const stored = getDb().select().from(invitations).where(eq(invitations.cohortId, cohort.id)).get();
    expect(stored?.usedAt).toBeNull();

    // And it still works once the input is right.
    await page.getByLabel("Full name").fill("Jonas Berg");
    await page.getByLabel("Email address").fill("jonas.berg@e2e.example");
    await page.getByLabel("Password").fill("glacier violin parade 3");
    await page.getByRole("button", { name: "Create my account" }).click();
    await expect(page.getByRole("heading", { name: "Welcome, Jonas Berg" })).toBeVisible();
  });

  test("registration does not tell whether an address has an account, and the probe costs the invitation", async ({ page }) => {
    const { cohort } = await createCoordinatorWithCohort();
    const existing = await createUser({ role: "learner" });
    const [code] = createInvitations({ cohortId: cohort.id, role: "learner", createdBy: null }).codes;
    const before = userCount();
    await page.goto(`/join/${code}`);
    await page.getByLabel("Full name").fill("Mallory Probe");
    await page.getByLabel("Email address").fill(existing.email.toUpperCase());
    await page.getByLabel("Country").fill("Norway");
    await page.getByLabel("Password").fill("glacier violin parade 3");
    await page.getByRole("button", { name: "Create my account" }).click();
    await expect(page.getByText(/No account was created, and this invitation is now used/)).toBeVisible();
    await expect(page.getByText(/already exists/)).toHaveCount(0);
    expect(userCount()).toBe(before);
    const stored = getDb().select().from(invitations).where(eq(invitations.cohortId, cohort.id)).get();
    expect(stored?.usedAt).not.toBeNull();
    const again = await page.goto(`/join/${code}`);
    expect(again?.status()).toBe(410);
  });

  test("used, expired, revoked and unknown invitations get a clear page", async ({ page }) => {
    const { cohort } = await createCoordinatorWithCohort();
    const [used, expired, revoked] = createInvitations({ cohortId: cohort.id, role: "learner", count: 3, createdBy: null }).codes;
    const rows = getDb().select().from(invitations).where(eq(invitations.cohortId, cohort.id)).all();
    getDb().update(invitations).set({ usedAt: new Date() }).where(eq(invitations.id, rows[0]!.id)).run();
    getDb().update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, rows[1]!.id)).run();
    getDb().update(invitations).set({ revokedAt: new Date() }).where(eq(invitations.id, rows[2]!.id)).run();

    const cases: [string, number, RegExp][] = [
      [used!, 410, /already been used/],
      [expired!, 410, /has expired/],
      [revoked!, 410, /withdrawn/],
      ["made-up-code", 404, /not valid/],
    ];
    for (const [code, status, message] of cases) {
      const response = await page.goto(`/join/${code}`);
      expect(response?.status()).toBe(status);
      await expect(page.getByRole("heading", { name: "This invitation cannot be used" })).toBeVisible();
      await expect(page.getByText(message)).toBeVisible();
      await expect(page.getByLabel("Password")).toHaveCount(0);
    }
  });
});

test("a cross-origin POST is rejected before it reaches any action", async ({ baseURL }) => {
  const learner = await createUser({ role: "learner" });
  const evil = await apiAs(baseURL!);
  const before = failuresFor(learner.email);
  const attempts: Record<string, string>[] = [
    { Origin: "https://evil.example" },
    { Origin: "null" },
    { Origin: "null", "Sec-Fetch-Site": "cross-site" },
  ];
  for (const headers of attempts) {
    const res = await evil.post("/login", {
      form: { email: learner.email, password: "whatever whatever" },
      headers,
      maxRedirects: 0,
    });
    expect(res.status()).toBe(403);
    expect(await res.text()).toMatch(/Origin check failed/);
  }
  expect(failuresFor(learner.email)).toBe(before);
  const sameOrigin = await evil.post("/login", { form: { email: learner.email, password: "whatever whatever" }, maxRedirects: 0 });
  expect(sameOrigin.status()).toBe(400);
});

test("every page carries the security headers", async ({ baseURL }) => {
  const api = await apiAs(baseURL!);
  for (const path of ["/login", "/healthz", "/favicon.ico", "/no/such/page"]) {
    const headers = (await api.get(path)).headers();
    expect(headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[\w+/=]+'/);
    expect(headers["content-security-policy"]).not.toMatch(/unsafe-eval|unsafe-inline/);
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["strict-transport-security"]).toBeUndefined(); // demo mode is plain http
  }
});

test("signing out ends the session on the server, not only in the browser", async ({ baseURL }) => {
  const learner = await createUser({ role: "learner" });
  const api = await apiAs(baseURL!, learner.email);
  const { cookies } = await api.storageState();
  const session = cookies.find((c) => c.name === "cda_session")!;
  expect(session.httpOnly).toBe(true);
  expect(session.sameSite).toBe("Lax");
  expect((await api.get("/account", { maxRedirects: 0 })).status()).toBe(200);
  expect((await api.post("/logout", { maxRedirects: 0 })).status()).toBe(302);

  // Replaying the old cookie after sign-out gets nothing.
  const replay = await apiAs(baseURL!);
  const res = await replay.get("/account", { maxRedirects: 0, headers: { Cookie: `cda_session=${session.value}` } });
  expect(res.status()).toBe(302);
  expect(res.headers()["location"]).toMatch(/^\/login/);
});
