// Issue 13: a signed-in learner's lesson section is served from the fast path (ADR 010) once its
// page has been rendered for that state. The page must be the page the React layout renders, for
// every section of every module and edition, with the same headers; and a session that ends is
// refused on its very next request, cache or not.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { eq } from "drizzle-orm";
import { getCourse, getLesson } from "~/content/course.server";
import { getDb } from "~/db/client.server";
import { sessions } from "~/db/schema";
import { makeCohort } from "~/models/factories.server";
import { changePassword, setUserActive } from "~/models/user.server";
import { markSectionRead } from "~/models/progress.server";
import { saveDraft } from "~/models/exercise.server";
import { answerOf, apiAs, createUser, PASSWORD } from "../support/e2e";

async function twice(api: APIRequestContext, path: string) {
  const first = await api.get(path, { maxRedirects: 0 });
  const second = await api.get(path, { maxRedirects: 0 });
  return { first, second, a: await first.text(), b: await second.text() };
}

test("every section of every module and edition: the cached page is the page React renders, with the same headers", async ({ baseURL }) => {
  test.setTimeout(120_000);
  const course = getCourse();
  for (const edition of [null, ...course.editions.map((e) => e.id)]) {
    const learner = await createUser({ role: "learner", cohortId: makeCohort({ edition }).id });
    const other = await createUser({ role: "learner", cohortId: makeCohort({ edition }).id });
    const api = await apiAs(baseURL!, learner.email);
    const api2 = await apiAs(baseURL!, other.email);
    for (const m of course.modules) {
      const lesson = getLesson(m.slug, edition)!;
      for (const s of lesson.sections) {
        const path = `/modules/${m.slug}/${s.id}`;
        const { first, second, a, b } = await twice(api, path);
        expect(first.status(), path).toBe(200);
        expect(b, `${path} (${edition ?? "standard"}): the second, cached page`).toBe(a);
        expect(answerOf(second), path).toEqual(answerOf(first));
        // Another learner in the same state gets the same bytes, with nobody's name or address in them.
        const third = await api2.get(path);
        expect(await third.text(), path).toBe(a);
        expect(a).not.toContain(learner.name);
        expect(a).not.toContain(learner.email);
        expect(a).not.toContain(other.name);
      }
    }
  }
});

test("a change of state gives a new page: read marks, the quiz and the exercise follow at once", async ({ baseURL }) => {
  const learner = await createUser({ role: "learner", cohortId: makeCohort().id });
  const api = await apiAs(baseURL!, learner.email);
  const path = "/modules/alpha/threats";
  const before = (await twice(api, path)).b;
  expect(before).not.toContain("(read)");
  markSectionRead({ userId: learner.id, slug: "alpha", sectionId: "introduction" });
  const afterRead = (await twice(api, path)).b;
  expect(afterRead).toContain("(read)");
  const exerciseStatus = (html: string) => /Practical exercise<\/a> <span class="muted">\((?:<!-- -->)?([^<]+)/.exec(html)?.[1];
  expect(exerciseStatus(afterRead)).toBe("Not started");
  saveDraft({ userId: learner.id, slug: "alpha", texts: { note: "A first line." } });
  expect(exerciseStatus((await twice(api, path)).b)).toBe("Draft");
  // The first learner's state does not leak into a new learner's page.
  const fresh = await apiAs(baseURL!, (await createUser({ role: "learner", cohortId: makeCohort().id })).email);
  expect(await (await fresh.get(path)).text()).toBe(before);
});

test("a signed-out, deactivated or password-changed session is refused on its very next request", async ({ baseURL }) => {
  const path = "/modules/alpha/introduction";
  const refused = async (api: APIRequestContext) => {
    const res = await api.get(path, { maxRedirects: 0 });
    expect(res.status()).toBe(302);
    expect(res.headers()["location"]).toMatch(/^\/login/);
  };

  // Signed out: the same browser's cookie no longer opens the page it had cached.
  const a = await createUser({ role: "learner", cohortId: makeCohort().id });
  const apiA = await apiAs(baseURL!, a.email);
  expect((await twice(apiA, path)).second.status()).toBe(200);
  const cookies = await apiA.storageState();
  expect((await apiA.post("/logout", { maxRedirects: 0 })).status()).toBe(302);
  const replay = await (await import("@playwright/test")).request.newContext({ baseURL, storageState: cookies });
  await refused(replay);

  // Deactivated by a coordinator.
  const b = await createUser({ role: "learner", cohortId: makeCohort().id });
  const apiB = await apiAs(baseURL!, b.email);
  expect((await twice(apiB, path)).second.status()).toBe(200);
  setUserActive({ userId: b.id, active: false });
  await refused(apiB);

  // The password changed (every session ends).
  const c = await createUser({ role: "learner", cohortId: makeCohort().id });
  const apiC = await apiAs(baseURL!, c.email);
  expect((await twice(apiC, path)).second.status()).toBe(200);
  // Changed from another session: every session but that one ends.
  await changePassword({
    userId: c.id,
    currentSessionId: "another-session",
    currentPassword: PASSWORD,
    newPassword: "a new long passphrase 2027",
    ip: "127.0.0.1",
    cookieHeader: null,
  });
  await refused(apiC);
});

test("a session lucia extends gets its new cookie on a lesson page, cached or not", async ({ baseURL }) => {
  const path = "/modules/alpha/introduction";
  const d = await createUser({ role: "learner", cohortId: makeCohort().id });
  const api = await apiAs(baseURL!, d.email);
  const { second } = await twice(api, path);
  expect(second.status()).toBe(200);
  expect(second.headers()["set-cookie"]).toBeUndefined();
  // Three days left of fourteen: past half its life, lucia extends it on the next request, and the
  // browser must get the extended cookie (the fast path validated it once and passes that on).
  const soon = Math.floor(Date.now() / 1000) + 3 * 86_400;
  getDb().update(sessions).set({ expiresAt: soon }).where(eq(sessions.userId, d.id)).run();
  const extended = await api.get(path, { maxRedirects: 0 });
  expect(extended.status()).toBe(200);
  expect(extended.headers()["set-cookie"]).toMatch(/cda_session=[^;]+;.*Max-Age=1209600/i);
  const row = getDb().select({ expiresAt: sessions.expiresAt }).from(sessions).where(eq(sessions.userId, d.id)).get();
  expect(row!.expiresAt).toBeGreaterThan(soon + 86_400);
  // And the cached page is served to it again afterwards, without a cookie to set.
  const after = await api.get(path, { maxRedirects: 0 });
  expect(after.headers()["set-cookie"]).toBeUndefined();
  expect(await after.text()).toBe(await extended.text());
});

test("the dashboard: the kept page is the page React renders, with each learner's own name in it", async ({ baseURL }) => {
  const cohortId = makeCohort().id;
  // Names React must escape, and one that is also a word of the page (it is never kept then).
  const ana = await createUser({ role: "learner", cohortId, name: "Ana O'Brien & <Sons>" });
  const ben = await createUser({ role: "learner", cohortId, name: "Ben \"Quoted\" Ruiz" });
  const word = await createUser({ role: "learner", cohortId, name: "Modules" });
  const apiAna = await apiAs(baseURL!, ana.email);
  const apiBen = await apiAs(baseURL!, ben.email);
  const { first, second, a, b } = await twice(apiAna, "/");
  expect(first.status()).toBe(200);
  expect(b).toBe(a);
  expect(answerOf(second)).toEqual(answerOf(first));
  expect(a).toContain("<h1>Welcome, <!-- -->Ana O&#x27;Brien &amp; &lt;Sons&gt;</h1>");
  expect(a).not.toContain("<script");
  // Ben in the same state gets the kept page with his name in it; an address with a query string
  // always goes through Remix, so `/?rendered` is React's page for him.
  const benKept = await apiBen.get("/");
  const benRendered = await apiBen.get("/?rendered");
  const benFirst = await benKept.text();
  expect(benFirst).toBe(await benRendered.text());
  expect(answerOf(benKept)).toEqual(answerOf(benRendered));
  expect(benFirst).toContain("<h1>Welcome, <!-- -->Ben &quot;Quoted&quot; Ruiz</h1>");
  expect(benFirst.replace("Ben &quot;Quoted&quot; Ruiz", "NAME")).toBe(a.replace("Ana O&#x27;Brien &amp; &lt;Sons&gt;", "NAME"));
  expect(benFirst).not.toContain("Ana O");
  const apiWord = await apiAs(baseURL!, word.email);
  const w = await twice(apiWord, "/");
  expect(w.b).toBe(w.a);
  expect(w.b).toBe(await (await apiWord.get("/?rendered")).text());
  expect(w.a).toContain("<h1>Welcome, <!-- -->Modules</h1>");
  // A change of state gives a new page at once.
  markSectionRead({ userId: ana.id, slug: "alpha", sectionId: "introduction" });
  const after = (await twice(apiAna, "/")).b;
  expect(after).not.toBe(a);
  expect(after).toContain("1<!-- --> of <!-- -->4<!-- --> sections read");
  // A signed-out session is refused on its very next request.
  const cookies = await apiAna.storageState();
  expect((await apiAna.post("/logout", { maxRedirects: 0 })).status()).toBe(302);
  const replay = await (await import("@playwright/test")).request.newContext({ baseURL, storageState: cookies });
  const refused = await replay.get("/", { maxRedirects: 0 });
  expect(refused.status()).toBe(302);
  expect(refused.headers()["location"]).toMatch(/^\/login/);
});
