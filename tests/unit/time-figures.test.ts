// The time figures a learner and a coordinator read: one definition of each, the same on every page
// and in every export, and a function of the stored records only (never of the moment of reading).
import type { AppLoadContext } from "@remix-run/node";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parse } from "csv-parse/sync";
import { createSession } from "~/auth/lucia.server";
import { getLesson } from "~/content/course.server";
import { formatMinutes, formatWait } from "~/lib/format";
import { VISIT_CAP_MS } from "~/lib/rules";
import { completionCsv } from "~/models/exports/csv.server";
import { makeCohort, makeUser } from "~/models/factories.server";
import { courseProgress, markSectionRead, minutesLeft, recordVisit } from "~/models/progress.server";
import { cohortSummary, learnerRows } from "~/models/report.server";
import { loader as dashboardLoader } from "~/routes/_index";
import { loader as modulePageLoader } from "~/routes/modules.$slug.print";

const MIN = 60_000;

afterEach(() => {
  vi.useRealTimers();
});

async function signedIn(userId: string): Promise<Headers> {
  const cookie = (await createSession(userId)).split(";")[0]!;
  return new Headers({ Cookie: cookie });
}

const args = (url: string, headers: Headers, params: Record<string, string> = {}) => ({
  request: new Request(`http://localhost${url}`, { headers }),
  params,
  // These loaders read nothing from the server's context.
  context: {} as AppLoadContext,
});

async function csvTimeOnTask(cohortId: number): Promise<string[]> {
  const text = await new Response(completionCsv({ cohortId })).text();
  const rows = parse(text.replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
  return rows.map((r) => r.time_on_task_minutes!);
}

describe("time on task", () => {
  it("is the same in two report reads and two exports of an idle learner, whenever they are made", async () => {
    const cohort = makeCohort();
    const user = await makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null });
    const t0 = Date.UTC(2026, 2, 2, 9, 0);
    recordVisit({ userId: user.id, slug: "alpha", sectionId: "introduction", at: new Date(t0) });
    recordVisit({ userId: user.id, slug: "alpha", sectionId: "threats", at: new Date(t0 + 4 * MIN) });
    // Then the learner leaves: the last visit has nothing after it.
    const at = (now: number) => learnerRows({ set: { cohortId: cohort.id }, now }).rows[0]!.timeOnTaskMs;
    expect(at(t0 + 5 * MIN)).toBe(4 * MIN);
    expect(at(t0 + 9 * 24 * 60 * MIN)).toBe(4 * MIN);
    expect(cohortSummary(cohort.id, t0 + 5 * MIN).medianTimeMs).toBe(cohortSummary(cohort.id, t0 + 90 * MIN).medianTimeMs);

    vi.useFakeTimers({ toFake: ["Date"], now: t0 + 6 * MIN });
    const first = await csvTimeOnTask(cohort.id);
    vi.setSystemTime(t0 + 3 * 60 * MIN);
    const second = await csvTimeOnTask(cohort.id);
    expect(first[0]).toBe("4");
    expect(second).toEqual(first);
  });

  it("counts a visit up to the learner's next recorded event, capped", async () => {
    const cohort = makeCohort();
    const user = await makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null });
    const t0 = Date.UTC(2026, 2, 3, 9, 0);
    vi.useFakeTimers({ toFake: ["Date"], now: t0 });
    recordVisit({ userId: user.id, slug: "gamma", sectionId: "only-section", at: new Date(t0) });
    vi.setSystemTime(t0 + 7 * MIN);
    // The read (stamped now) ends the visit: 7 minutes, and stays 7 however late the report is read.
    markSectionRead({ userId: user.id, slug: "gamma", sectionId: "only-section" });
    recordVisit({ userId: user.id, slug: "alpha", sectionId: "introduction", at: new Date(t0 + 8 * MIN) });
    recordVisit({ userId: user.id, slug: "alpha", sectionId: "threats", at: new Date(t0 + 60 * MIN) });
    const rows = learnerRows({ set: { userIds: [user.id] }, now: t0 + 24 * 60 * MIN }).rows;
    expect(rows[0]!.timeOnTaskMs).toBe(7 * MIN + VISIT_CAP_MS);
  });
});

describe("time left", () => {
  it("shares the author's estimate among the sections by words and the quiz by questions, in whole minutes", () => {
    const section = (id: string, wordCount: number) => ({ id, title: id, wordCount, html: "", pageHtml: "" });
    const lesson = { estimatedMinutes: 10, sections: [section("a", 400), section("b", 400), section("c", 200)] };
    // Reading 2 + 2 + 1 minutes and 4 questions at 0.75: 10 × (2, 2, 1, 3) / 8 = 2.5, 2.5, 1.25, 3.75.
    const left = (read: string[], quizPassed = false) =>
      minutesLeft({ lesson, quizQuestions: 4, read: (id) => read.includes(id), quizPassed, completed: false });
    expect(left([])).toBe(10);
    expect(left(["a"])).toBe(7);
    expect(left(["a", "b"])).toBe(5);
    expect(left(["a", "b", "c"])).toBe(4);
    expect(left(["a", "b", "c"], true)).toBe(0);
    expect(minutesLeft({ lesson, quizQuestions: 4, read: () => false, quizPassed: false, completed: true })).toBe(0);
  });

  it("is the same on the dashboard and the module page, and the course's is the modules' sum", async () => {
    const cohort = makeCohort();
    const user = await makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null });
    const headers = await signedIn(user.id);
    const check = async () => {
      const dashboard = await dashboardLoader(args("/", headers));
      for (const m of dashboard.modules) {
        const page = await modulePageLoader(args(`/modules/${m.slug}/print`, headers, { slug: m.slug }));
        expect(page.minutesLeft, m.slug).toBe(m.minutesLeft);
      }
      expect(dashboard.minutesLeft).toBe(dashboard.modules.reduce((n, m) => n + m.minutesLeft, 0));
      return dashboard;
    };
    // Nothing read: each module's time left is the author's estimate, the one the lesson states.
    const fresh = await check();
    for (const m of fresh.modules) expect(m.minutesLeft, m.slug).toBe(getLesson(m.slug, null)!.estimatedMinutes);

    markSectionRead({ userId: user.id, slug: "alpha", sectionId: "introduction" });
    markSectionRead({ userId: user.id, slug: "gamma", sectionId: "only-section" });
    const later = await check();
    // gamma is completed: its whole estimate is gone from the course's time left.
    expect(later.modules.find((m) => m.slug === "gamma")!.minutesLeft).toBe(0);
    expect(later.minutesLeft).toBeLessThanOrEqual(fresh.minutesLeft - getLesson("gamma", null)!.estimatedMinutes);
    expect(courseProgress({ userId: user.id }).minutesLeft).toBe(later.minutesLeft);
  });
});

describe("durations as shown", () => {
  it("says minutes and hours in the singular and the plural", () => {
    expect(formatMinutes(0)).toBe("0 minutes");
    expect(formatMinutes(1)).toBe("1 minute");
    expect(formatMinutes(2)).toBe("2 minutes");
    expect(formatMinutes(0.6)).toBe("1 minute");
    expect(formatMinutes(59)).toBe("59 minutes");
    expect(formatMinutes(60)).toBe("1 hour");
    expect(formatMinutes(61)).toBe("1 hour 1 minute");
    expect(formatMinutes(65)).toBe("1 hour 5 minutes");
    expect(formatMinutes(120)).toBe("2 hours");
    expect(formatMinutes(362)).toBe("6 hours 2 minutes");
  });

  it("says a wait in seconds, then in minutes rounded up", () => {
    expect(formatWait(1)).toBe("1 second");
    expect(formatWait(45)).toBe("45 seconds");
    expect(formatWait(89)).toBe("89 seconds");
    expect(formatWait(90)).toBe("2 minutes");
    expect(formatWait(900)).toBe("15 minutes");
    expect(formatWait(3601)).toBe("1 hour 1 minute");
  });
});
