import { expect, test, type APIRequestContext } from "@playwright/test";
import { submitExercise } from "~/models/exercise.server";
import { makeCohort } from "~/models/factories.server";
import { createInvitations } from "~/models/invitation.server";
import { apiAs, createCoordinatorWithCohort, createUser } from "../support/e2e";

type Who = "anonymous" | "learner" | "instructor" | "coordinator";
const WHO: Who[] = ["anonymous", "learner", "instructor", "coordinator"];

interface Row {
  method: "GET" | "POST";
  path: string;
  form?: Record<string, string>;
  expect: Record<Who, number>;
}

const all = (status: number): Record<Who, number> => ({ anonymous: status, learner: status, instructor: status, coordinator: status });
const signedIn = (anonymous: number, rest: number) => ({ anonymous, learner: rest, instructor: rest, coordinator: rest });
const only = (role: Exclude<Who, "anonymous">, status = 200) => ({
  anonymous: 302,
  learner: 403,
  instructor: 403,
  coordinator: 403,
  [role]: status,
});

test("every route answers every role with exactly the expected status", async ({ baseURL }) => {
  const { coordinator, cohort } = await createCoordinatorWithCohort();
  const otherCohort = makeCohort();
  const learner = await createUser({ role: "learner", cohortId: cohort.id });
  const instructor = await createUser({ role: "instructor", cohortId: cohort.id });
  const [code] = createInvitations({ cohortId: cohort.id, role: "learner", createdBy: null }).codes;
  const outsider = await createUser({ role: "learner", cohortId: otherCohort.id });
  const drill = `/coordinator/cohorts/${cohort.slug}/learners/${learner.id}`;
  const texts = { note: Array(60).fill("word").join(" "), lines: Array(25).fill("word").join(" ") };
  const ownSubmission = `/instructor/exercises/${submitExercise({ userId: learner.id, slug: "alpha", texts }).id}`;
  const otherSubmission = `/instructor/exercises/${submitExercise({ userId: outsider.id, slug: "alpha", texts }).id}`;

  // Later issues add their routes to this same table.
  const table: Row[] = [
    { method: "GET", path: "/", expect: { anonymous: 302, learner: 200, instructor: 302, coordinator: 302 } },
    { method: "GET", path: "/login", expect: signedIn(200, 302) },
    { method: "GET", path: "/logout", expect: all(302) },
    { method: "GET", path: "/account", expect: signedIn(302, 200) },
    { method: "POST", path: "/account", form: { intent: "nothing" }, expect: signedIn(302, 400) },
    { method: "POST", path: "/account", form: { intent: "name", name: "" }, expect: signedIn(302, 400) },
    { method: "GET", path: "/instructor", expect: { anonymous: 302, learner: 403, instructor: 200, coordinator: 200 } },
    { method: "GET", path: "/instructor/modules/alpha", expect: { anonymous: 302, learner: 403, instructor: 200, coordinator: 200 } },
    { method: "GET", path: "/instructor/modules/alpha?edition=atlantis", expect: { anonymous: 302, learner: 403, instructor: 404, coordinator: 404 } },
    { method: "GET", path: "/instructor/modules/no-such-module", expect: { anonymous: 302, learner: 403, instructor: 404, coordinator: 404 } },
    { method: "GET", path: "/modules/alpha", expect: { ...only("learner", 302) } },
    { method: "GET", path: "/modules/alpha/threats", expect: only("learner") },
    { method: "POST", path: "/modules/alpha/threats", expect: only("learner", 303) },
    { method: "GET", path: "/modules/alpha/no-such-section", expect: only("learner", 404) },
    { method: "GET", path: "/modules/no-such-module/intro", expect: only("learner", 404) },
    { method: "GET", path: "/modules/alpha/print", expect: only("learner") },
    { method: "GET", path: "/modules/alpha/quiz", expect: only("learner") },
    { method: "POST", path: "/modules/alpha/quiz", form: { attemptId: "nope" }, expect: only("learner", 400) },
    { method: "GET", path: "/modules/gamma/quiz", expect: only("learner", 404) },
    { method: "GET", path: "/modules/alpha/quiz/attempts/nope", expect: only("learner", 404) },
    { method: "GET", path: "/progress", expect: only("learner") },
    { method: "GET", path: "/certificate", expect: only("learner") },
    { method: "GET", path: "/certificates/AAAAA-BBBBB-CCCCC-DDDDD", expect: all(404) },
    { method: "GET", path: "/glossary", expect: signedIn(302, 200) },
    { method: "GET", path: "/sources", expect: signedIn(302, 200) },
    { method: "GET", path: "/course-assets/alpha/no-such.svg", expect: signedIn(302, 404) },
    { method: "GET", path: "/coordinator/cohorts", expect: only("coordinator") },
    { method: "POST", path: "/coordinator/cohorts", form: { name: "", slug: "" }, expect: only("coordinator", 400) },
    { method: "GET", path: `/coordinator/cohorts/${cohort.id}`, expect: only("coordinator") },
    { method: "POST", path: `/coordinator/cohorts/${cohort.id}`, form: { intent: "revoke", id: "x" }, expect: only("coordinator", 400) },
    { method: "GET", path: `/coordinator/cohorts/${cohort.slug}`, expect: only("coordinator") },
    { method: "GET", path: `/coordinator/cohorts/${otherCohort.id}`, expect: only("coordinator", 404) },
    { method: "GET", path: `/coordinator/cohorts/${otherCohort.slug}`, expect: only("coordinator", 404) },
    { method: "POST", path: `/coordinator/cohorts/${otherCohort.id}`, form: { intent: "invite", role: "learner", count: "1", expiresDays: "14" }, expect: only("coordinator", 404) },
    { method: "GET", path: "/coordinator/cohorts/no-such-cohort", expect: only("coordinator", 404) },
    { method: "GET", path: "/instructor/questions", expect: { anonymous: 302, learner: 403, instructor: 200, coordinator: 200 } },
    { method: "GET", path: drill, expect: only("coordinator") },
    { method: "POST", path: drill, form: { intent: "nothing" }, expect: only("coordinator", 400) },
    { method: "POST", path: drill, form: { intent: "grant", module: "gamma" }, expect: only("coordinator", 400) },
    { method: "POST", path: drill, form: { intent: "delete", confirmName: "someone else" }, expect: only("coordinator", 400) },
    { method: "GET", path: `${drill}/export.json`, expect: only("coordinator") },
    // A learner of another cohort, an instructor, or a cohort the coordinator does not coordinate: all 404.
    { method: "GET", path: `/coordinator/cohorts/${cohort.slug}/learners/${outsider.id}`, expect: only("coordinator", 404) },
    { method: "GET", path: `/coordinator/cohorts/${cohort.slug}/learners/${instructor.id}`, expect: only("coordinator", 404) },
    { method: "GET", path: `/coordinator/cohorts/${otherCohort.slug}/learners/${outsider.id}`, expect: only("coordinator", 404) },
    { method: "POST", path: `/coordinator/cohorts/${otherCohort.slug}/learners/${outsider.id}`, form: { intent: "deactivate" }, expect: only("coordinator", 404) },
    { method: "GET", path: `/coordinator/cohorts/${otherCohort.slug}/learners/${outsider.id}/export.json`, expect: only("coordinator", 404) },
    ...["completion.csv", "mastery.csv", "attempts.csv", "exercises.csv", "xapi.ndjson"].flatMap((file): Row[] => [
      { method: "GET", path: `/coordinator/cohorts/${cohort.slug}/exports/${file}`, expect: only("coordinator") },
      { method: "GET", path: `/coordinator/cohorts/${otherCohort.slug}/exports/${file}`, expect: only("coordinator", 404) },
    ]),
    { method: "GET", path: `/coordinator/cohorts/${cohort.slug}/exports/passwords.csv`, expect: only("coordinator", 404) },
    { method: "GET", path: `/coordinator/cohorts/${cohort.slug}/audit`, expect: only("coordinator") },
    { method: "GET", path: `/coordinator/cohorts/${cohort.slug}/print`, expect: only("coordinator") },
    { method: "GET", path: `/coordinator/cohorts/${otherCohort.slug}/print`, expect: only("coordinator", 404) },
    { method: "GET", path: `/coordinator/cohorts/${otherCohort.slug}/audit`, expect: only("coordinator", 404) },
    { method: "GET", path: "/instructor/exercises", expect: { anonymous: 302, learner: 403, instructor: 200, coordinator: 200 } },
    { method: "GET", path: ownSubmission, expect: { anonymous: 302, learner: 403, instructor: 200, coordinator: 200 } },
    { method: "POST", path: ownSubmission, form: { intent: "review" }, expect: { anonymous: 302, learner: 403, instructor: 400, coordinator: 400 } },
    { method: "POST", path: ownSubmission, form: { intent: "remove-review", reviewId: "x" }, expect: { anonymous: 302, learner: 403, instructor: 403, coordinator: 400 } },
    // Instructors see every cohort; a coordinator only the cohorts they coordinate.
    { method: "GET", path: otherSubmission, expect: { anonymous: 302, learner: 403, instructor: 200, coordinator: 404 } },
    { method: "POST", path: otherSubmission, form: { intent: "review" }, expect: { anonymous: 302, learner: 403, instructor: 400, coordinator: 404 } },
    { method: "GET", path: "/instructor/exercises/no-such-submission", expect: { anonymous: 302, learner: 403, instructor: 404, coordinator: 404 } },
    { method: "GET", path: `/join/${code}`, expect: all(200) },
    { method: "POST", path: `/join/${code}`, form: { name: "" }, expect: all(400) },
    { method: "GET", path: "/join/unknown-code", expect: all(404) },
    { method: "GET", path: "/reset/unknown-token", expect: all(410) },
    { method: "GET", path: "/healthz", expect: all(200) },
    { method: "GET", path: "/no/such/page", expect: all(404) },
  ];

  const clients: Record<Who, APIRequestContext> = {
    anonymous: await apiAs(baseURL!),
    learner: await apiAs(baseURL!, learner.email),
    instructor: await apiAs(baseURL!, instructor.email),
    coordinator: await apiAs(baseURL!, coordinator.email),
  };

  const mismatches: string[] = [];
  for (const row of table) {
    for (const who of WHO) {
      const res =
        row.method === "GET"
          ? await clients[who].get(row.path, { maxRedirects: 0 })
          : await clients[who].post(row.path, { form: row.form ?? {}, maxRedirects: 0 });
      if (res.status() !== row.expect[who]) {
        mismatches.push(`${row.method} ${row.path} as ${who}: expected ${row.expect[who]}, got ${res.status()}`);
      }
    }
  }
  expect(mismatches).toEqual([]);

  // The anonymous are sent to sign in and brought back; the wrong role gets a friendly page.
  const anon = await clients.anonymous.get("/coordinator/cohorts", { maxRedirects: 0 });
  expect(anon.headers()["location"]).toBe("/login?redirectTo=%2Fcoordinator%2Fcohorts");
  const forbidden = await clients.learner.get("/coordinator/cohorts", { maxRedirects: 0 });
  expect(await forbidden.text()).toContain("You do not have access to this page");
  expect((await clients.instructor.get("/", { maxRedirects: 0 })).headers()["location"]).toBe("/instructor");
  expect((await clients.coordinator.get("/", { maxRedirects: 0 })).headers()["location"]).toBe("/coordinator/cohorts");
});
