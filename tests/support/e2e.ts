// Shared by the Playwright suites: data is made with the app's own factories, straight into the
// database file the server under test uses (DATABASE_PATH is set by playwright.config.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, request, type APIRequestContext, type APIResponse, type Page } from "@playwright/test";
import { hashPassword } from "~/auth/password.server";
import type { Role } from "~/db/schema";
import { getQuizKey } from "~/content/course.server";
import { makeCohort, makeUser } from "~/models/factories.server";

export const PASSWORD = "amber kettle orbit 42";
let cachedHash: Promise<string> | undefined;

export function unique(prefix: string) {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

export async function createUser({ role, cohortId, name }: { role: Role; cohortId?: number; name?: string }) {
  cachedHash ??= hashPassword(PASSWORD);
  const email = `${unique(role)}@e2e.example`;
  const user = await makeUser({ email, role, cohortId, name, passwordHash: await cachedHash });
  return { ...user, password: PASSWORD };
}

export async function createCoordinatorWithCohort() {
  const coordinator = await createUser({ role: "coordinator" });
  const cohort = makeCohort({ coordinatorId: coordinator.id });
  return { coordinator, cohort };
}

/** Submits the sign-in form (on the current page when `goto` is false). */
export async function submitSignIn(page: Page, email: string, password = PASSWORD, { goto = true } = {}) {
  if (goto) await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in and waits until the browser has left the sign-in page. */
export async function signIn(page: Page, email: string, password = PASSWORD, options: { goto?: boolean } = {}) {
  await submitSignIn(page, email, password, options);
  await page.waitForURL((url) => url.pathname !== "/login");
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
}

/** An HTTP client signed in as the user (or anonymous), sending our Origin like a browser would. */
export async function apiAs(baseURL: string, email?: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { Origin: new URL(baseURL).origin } });
  if (email) {
    const res = await api.post("/login", { form: { email, password: PASSWORD }, maxRedirects: 0 });
    expect(res.status(), `sign-in of ${email}`).toBe(302);
  }
  return api;
}

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Only what we pass: the test runner's own variables must not leak into the server. */
function serverEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "",
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    CONTENT_BUILD_DIR: process.env.CONTENT_BUILD_DIR ?? ".content-build",
    ...env,
  };
}

export interface RunningServer {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** How the server process is run: its folder, and as which user (root's tests run it as another). */
export interface ProcessOptions {
  cwd?: string;
  uid?: number;
  gid?: number;
}

function spawnServer(env: Record<string, string>, { cwd, uid, gid }: ProcessOptions) {
  const child = spawn(process.execPath, [path.resolve("server.mjs")], { env: serverEnv(env), cwd, uid, gid, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d) => (output += String(d)));
  child.stderr?.on("data", (d) => (output += String(d)));
  return { child, output: () => output };
}

/**
 * Starts another instance of the built server (second process, production mode, restarts).
 * It is ready when /healthz answers 200, or with `healthy: false` when it answers at all.
 */
export async function startServer(env: Record<string, string>, { healthy = true, ...options }: ProcessOptions & { healthy?: boolean } = {}): Promise<RunningServer> {
  const port = await freePort();
  const { child, output } = spawnServer({ ...env, PORT: String(port) }, options);
  const url = `http://localhost:${port}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok || !healthy) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    output,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Runs the server expecting it to refuse to start; resolves with its exit code and output. */
export async function startExpectingFailure(env: Record<string, string>, options: ProcessOptions = {}): Promise<{ code: number | null; output: string }> {
  const { child, output } = spawnServer({ PORT: String(await freePort()), ...env }, options);
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output: output() };
}

/**
 * Answers every question the quiz page shows (the attempt's draw, choices in its shuffled order)
 * from the server's key: the right choices, or one wrong choice each. Choices are found by their
 * ids, never by their place on the page.
 */
export async function answerShownQuestions(page: Page, slug: string, { right = true } = {}) {
  const key = new Map(getQuizKey(slug)!.questions.map((q) => [q.id, q.correct]));
  const questions = page.locator("fieldset.question");
  const count = await questions.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const inputs = await questions
      .nth(i)
      .locator("input")
      .evaluateAll((els) => els.map((e) => ({ name: (e as HTMLInputElement).name, value: (e as HTMLInputElement).value })));
    const id = inputs[0]!.name.slice("q.".length);
    const correct = key.get(id)!;
    const chosen = right ? correct : [inputs.map((x) => x.value).find((v) => !correct.includes(v))!];
    for (const choice of chosen) await page.locator(`#q-${id}-${choice}`).check();
  }
  return count;
}

/**
 * A response's status and headers, to compare two answers that must be the same: every header but
 * the connection's own, the date and the length, with the CSP's per-request nonce masked (and
 * whatever else `mask` masks in a value).
 */
export function answerOf(res: APIResponse, mask: (value: string) => string = (v) => v) {
  const skip = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length"]);
  const headers = Object.fromEntries(
    res
      .headersArray()
      .filter((h) => !skip.has(h.name.toLowerCase()))
      .map((h) => [h.name.toLowerCase(), mask(h.value.replace(/'nonce-[^']+'/g, "'nonce-…'"))]),
  );
  return { status: res.status(), headers };
}
