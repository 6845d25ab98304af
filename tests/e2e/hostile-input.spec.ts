// Bad input, as an attacker or a broken client sends it, to every route: never a 5xx, never a
// stalled server. The routes are read from app/routes, so a new route is covered without a word here.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import { startSession } from "~/auth/session.server";
import { reportQuerySchema } from "~/lib/form-schemas.server";
import { MAX_BODY_BYTES, MAX_FORM_FIELDS } from "~/lib/forms.server";
import { createInvitations } from "~/models/invitation.server";
import { createPasswordReset } from "~/models/password-reset.server";
import { openAttempt } from "~/models/quiz.server";
import { createCoordinatorWithCohort, createUser } from "../support/e2e";

const ROUTES_DIR = path.resolve("app/routes");

/** The URL pattern of a Remix flat-routes file name, e.g. `a.$b_.c[.]json.ts` → `/a/:b/c.json`. */
function routePattern(file: string): string {
  const name = file.replace(/\.tsx?$/, "");
  const segments = name.split(/\.(?![^[]*\])/).flatMap((segment) => {
    if (segment === "_index" || segment.startsWith("_")) return [];
    if (segment === "$") return ["*"];
    const plain = segment.replace(/_$/, "").replace(/\[(.*?)\]/g, "$1");
    return [plain.startsWith("$") ? `:${plain.slice(1)}` : plain];
  });
  return `/${segments.join("/")}`;
}

/** Every query parameter the app reads anywhere, found in its source. */
function queryNames(): string[] {
  const names = new Set<string>(Object.keys(reportQuerySchema.shape));
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.tsx?$/.test(entry.name)) {
        const source = fs.readFileSync(file, "utf8");
        for (const m of source.matchAll(/(?:searchParams|params)\.get\("([\w-]+)"\)|pageParam\(url, "([\w-]+)"\)/g)) names.add((m[1] ?? m[2])!);
      }
    }
  };
  walk(path.resolve("app"));
  names.add("page");
  return [...names];
}

const HUGE = "x".repeat(8000);
/** Raw (already encoded) values: numbers no page has, control bytes, broken escapes, arrays. */
const HOSTILE_VALUES = ["1e308", "-1", "NaN", "Infinity", "0", "1.5", HUGE, "%00", "%E0%A4%A", "%FF%FE", "__proto__"];
const queries = (names: string[]) => [
  ...HOSTILE_VALUES.map((v) => names.map((n) => `${n}=${v}`).join("&")),
  names.map((n) => `${n}=1&${n}=2`).join("&"),
  names.map((n) => `${n}[]=1&${n}[0]=2`).join("&"),
  "__proto__[x]=1&constructor=1",
];

const hostileForm = [
  "intent=invite&intent=x&count=1e308&expiresDays=NaN&role=%00&id=-1&userId=%00",
  `email=${HUGE}&password=${HUGE}&name=%00%E2%80%AE&country=-1&confirmName=%00&module=..%2F..&redirectTo=1e308`,
  "attemptId=-1&q.q1=a&q.q1=a&__proto__=1",
].join("&");

const BODIES: { label: string; headers: Record<string, string>; body?: string | Uint8Array<ArrayBuffer> }[] = [
  { label: "JSON", headers: { "Content-Type": "application/json" }, body: '{"email":"a@b.example","password":"x"}' },
  { label: "text/plain", headers: { "Content-Type": "text/plain" }, body: "email=a@b.example\npassword=x" },
  { label: "no body, no content type", headers: {} },
  { label: "a body without a content type", headers: {}, body: new TextEncoder().encode("email=a&password=b") },
  { label: "broken multipart", headers: { "Content-Type": "multipart/form-data; boundary=zzz" }, body: "--zzz\r\nContent-Disposition: form-da" },
  { label: "multipart without a boundary", headers: { "Content-Type": "multipart/form-data" }, body: "--zzz\r\n\r\n" },
  { label: "gzip-encoded form", headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip" }, body: new Uint8Array(gzipSync("email=a&password=b")) },
  { label: "oversize", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `email=${"a".repeat(MAX_BODY_BYTES)}` },
  { label: "too many fields", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "f=1&".repeat(MAX_FORM_FIELDS + 1) },
  { label: "hostile values", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: hostileForm },
];

/** A learner with an attempt, an open invitation and password link, in a cohort of a coordinator. */
async function world() {
  const { coordinator, cohort } = await createCoordinatorWithCohort();
  const learner = await createUser({ role: "learner", cohortId: cohort.id });
  const instructor = await createUser({ role: "instructor" });
  const attempt = openAttempt({ userId: learner.id, slug: "alpha" });
  const [code] = createInvitations({ cohortId: cohort.id, role: "learner", createdBy: null }).codes;
  const { token } = createPasswordReset({ userId: learner.id });
  const params: Record<string, string> = {
    cohort: cohort.slug,
    learner: learner.id,
    slug: "alpha",
    section: "introduction",
    attemptId: attempt.id,
    code: code!,
    token,
    file: "completion.csv",
    "*": "no/such/page",
  };
  return { params, users: { learner, instructor, coordinator } };
}

test("every route answers hostile query values, path values and bodies without a 5xx, anonymous and signed in", async ({ baseURL }) => {
  test.setTimeout(240_000);
  const { params, users } = await world();
  const routes = fs.readdirSync(ROUTES_DIR).filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f)).map(routePattern);
  expect(routes).toContain("/coordinator/cohorts/:cohort/learners/:learner/export.json");
  const names = queryNames();
  expect(names).toEqual(expect.arrayContaining(["page", "members", "invitations", "redirectTo"]));

  const failures: string[] = [];
  let requests = 0;
  // Each principal gets a fresh session per route: a POST to /logout ends it, whatever its body.
  const cookies = async () => ({
    anonymous: "",
    ...Object.fromEntries(
      await Promise.all(Object.entries(users).map(async ([role, u]) => [role, (await startSession(u.id)).split(";")[0]!] as const)),
    ),
  });
  const send = async (who: string, cookie: string, method: string, url: string, headers: Record<string, string> = {}, body?: string | Uint8Array<ArrayBuffer>, label = "") => {
    requests++;
    const res = await fetch(`${baseURL}${url}`, {
      method,
      redirect: "manual",
      headers: { Origin: baseURL!, Accept: "text/html", ...(cookie ? { Cookie: cookie } : {}), ...headers },
      body,
    });
    await res.arrayBuffer();
    if (res.status >= 500) failures.push(`${who} ${method} ${url.slice(0, 120)} ${label} → ${res.status}`);
  };

  for (const pattern of routes) {
    const fill = (hostile?: string, value?: string) =>
      pattern.replace(/:(\w+)|\*/g, (slot, name: string | undefined) => (slot === hostile ? value! : params[name ?? "*"]!));
    const real = fill();
    // Each path value in turn replaced by a hostile one.
    const paths = [real];
    for (const [slot] of pattern.matchAll(/:\w+|\*/g)) {
      for (const v of ["1e308", "%00", "%E0%A4%A", HUGE]) paths.push(fill(slot, v));
    }
    for (const [who, cookie] of Object.entries(await cookies())) {
      for (const p of paths) await send(who, cookie, "GET", p);
      for (const q of queries(names)) await send(who, cookie, "GET", `${real}?${q}`);
      for (const b of BODIES) await send(who, cookie, "POST", real, b.headers, b.body, b.label);
    }
  }
  expect(requests).toBeGreaterThan(routes.length * 4 * 20);
  expect(failures).toEqual([]);
});

test("/login answers a body that is not a form with 415 or 400 and a sentence, before any sign-in work", async ({ baseURL }) => {
  const cases: [string, Record<string, string>, string | undefined, number, RegExp][] = [
    ["JSON", { "Content-Type": "application/json" }, '{"email":"a"}', 415, /takes a form .* not application\/json/],
    ["text/plain", { "Content-Type": "text/plain" }, "email=a", 415, /not text\/plain/],
    ["no content type", {}, undefined, 415, /without a content type/],
    ["broken multipart", { "Content-Type": "multipart/form-data; boundary=zzz" }, "--zzz\r\nbroken", 400, /could not be read/],
    ["too many fields", { "Content-Type": "application/x-www-form-urlencoded" }, "f=1&".repeat(MAX_FORM_FIELDS + 1), 413, /at most 1000 fields/],
  ];
  for (const [label, headers, body, status, message] of cases) {
    const res = await fetch(`${baseURL}/login`, { method: "POST", redirect: "manual", headers: { Origin: baseURL!, ...headers }, body });
    expect(res.status, label).toBe(status);
    expect(await res.text(), label).toMatch(message);
  }
});

/** Sends only the headers of a POST that announces `length` bytes, and waits for the answer. */
function announce(baseURL: string, length: number): Promise<{ status: number; body: string; ms: number }> {
  const url = new URL("/login", baseURL);
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      headers: { Origin: url.origin, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(length), Accept: "text/html" },
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (d) => (body += String(d)));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode!, body, ms: performance.now() - start });
      });
    });
    req.on("error", reject);
    req.flushHeaders();
  });
}

test("a body over the limit gets 413 and a short page: by its Content-Length before a byte is read, and chunked as it passes the limit", async ({ baseURL }) => {
  // Not one byte of these 10 MB is sent: the answer comes from the header alone.
  const announced = await announce(baseURL!, 10 * 1024 * 1024);
  expect(announced.status).toBe(413);
  expect(announced.body).toMatch(/<title>Too much data/);
  expect(announced.body).toMatch(/more than 64 KiB/);
  expect(announced.ms).toBeLessThan(2000);

  let sent = 0;
  const chunk = new TextEncoder().encode("a".repeat(16 * 1024));
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      // Ends at 10 MB, which the server discards after its answer: nothing of it is kept.
      if (sent > 10 * 1024 * 1024) return controller.close();
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const chunked = await fetch(`${baseURL}/login`, {
    method: "POST",
    headers: { Origin: baseURL!, "Content-Type": "application/x-www-form-urlencoded", Accept: "text/plain" },
    body: endless,
    duplex: "half",
  } as RequestInit);
  expect(chunked.status).toBe(413);
  expect(await chunked.text()).toMatch(/^Too much data\n/);
});

test("the attack bodies of issue 10 are refused at once, and the server keeps answering", async ({ baseURL }) => {
  const { cohort } = await createCoordinatorWithCohort();
  const learner = await createUser({ role: "learner", cohortId: cohort.id });
  const cookie = (await startSession(learner.id)).split(";")[0]!;
  const attempt = openAttempt({ userId: learner.id, slug: "alpha" });
  const form = { Origin: baseURL!, "Content-Type": "application/x-www-form-urlencoded" };
  const attacks: [string, Record<string, string>, string][] = [
    ["140 KB quiz answer repeated 20,000 times", { ...form, Cookie: cookie }, `attemptId=${attempt.id}&${Array(20_000).fill("q.q1=a").join("&")}`],
    ["10 MB anonymous sign-in", form, `email=${"a".repeat(10 * 1024 * 1024)}&password=x`],
    ["40,000 distinct field names", form, Array.from({ length: 40_000 }, (_, i) => `f${i}=1`).join("&")],
  ];
  for (const [label, headers, body] of attacks) {
    const url = label.includes("quiz") ? "/modules/alpha/quiz" : "/login";
    const start = performance.now();
    const [res, health] = await Promise.all([
      fetch(`${baseURL}${url}`, { method: "POST", redirect: "manual", headers, body }),
      fetch(`${baseURL}/healthz`),
    ]);
    expect(res.status, label).toBe(413);
    expect(health.status).toBe(200);
    expect(performance.now() - start, label).toBeLessThan(2000);
  }

  // Within the limits, a repeated answer is refused by the quiz's rules, not by a stalled server.
  const repeated = await fetch(`${baseURL}/modules/alpha/quiz`, {
    method: "POST",
    redirect: "manual",
    headers: { ...form, Cookie: cookie },
    body: `attemptId=${attempt.id}&${Array(MAX_FORM_FIELDS - 1).fill("q.q1=a").join("&")}`,
  });
  expect(repeated.status).toBe(400);
  expect(await repeated.text()).toMatch(/takes exactly one answer. Nothing was recorded/);
});

test("a page number that is no page shows the first page of the audit log and the cohort lists", async ({ baseURL }) => {
  const { coordinator, cohort } = await createCoordinatorWithCohort();
  const cookie = (await startSession(coordinator.id)).split(";")[0]!;
  for (const query of ["page=1e308", "page=-1", "page=NaN", "page=1.5"]) {
    const res = await fetch(`${baseURL}/coordinator/cohorts/${cohort.slug}/audit?${query}`, { headers: { Cookie: cookie } });
    expect(res.status, query).toBe(200);
  }
  for (const query of ["members=1e308", "invitations=1e308", "members=-1&invitations=NaN", "page=1e308"]) {
    const res = await fetch(`${baseURL}/coordinator/cohorts/${cohort.slug}?${query}`, { headers: { Cookie: cookie } });
    expect(res.status, query).toBe(200);
  }
});

test("a path that does not decode gets 400 and a sentence, not a logged stack trace", async ({ request }) => {
  const response = await request.get("/certificates/%E0%A4%A");
  expect(response.status()).toBe(400);
  expect(await response.text()).toBe("Bad request: this address could not be read.");
});
