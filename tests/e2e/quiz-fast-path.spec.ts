// Issue 13: a graded quiz submission posted without JavaScript is stored and answered before the
// rest of the stack (ADR 011). Its answer must be the route's, header for header; anything that is
// not a plain, complete, valid submission must get the route's own answer, with nothing stored.
import { expect, test, type APIResponse } from "@playwright/test";
import { eq } from "drizzle-orm";
import { getPublicQuiz, getQuizKey } from "~/content/course.server";
import { getDb } from "~/db/client.server";
import { quizAnswers, quizAttempts } from "~/db/schema";
import { makeCohort } from "~/models/factories.server";
import { attemptQuestions, openAttempt, type Attempt } from "~/models/quiz.server";
import { answerOf, apiAs, createUser } from "../support/e2e";

function formFor(attempt: Attempt, { skip = 0 } = {}): string {
  const key = getQuizKey("alpha")!;
  const body = new URLSearchParams({ attemptId: attempt.id });
  for (const q of attemptQuestions(attempt, getPublicQuiz("alpha")!).slice(skip)) {
    for (const c of key.questions.find((k) => k.id === q.id)!.correct) body.append(`q.${q.id}`, c);
  }
  return body.toString();
}

/** Status and headers as answerOf gives them, with the attempt id in Location masked too. */
const answerWithoutId = (res: APIResponse) => answerOf(res, (v) => v.replace(/attempts\/[^/]+$/, "attempts/…"));

const post = (api: Awaited<ReturnType<typeof apiAs>>, path: string, data: string) =>
  api.post(path, { data, headers: { "Content-Type": "application/x-www-form-urlencoded" }, maxRedirects: 0 });

test("a complete submission gets the route's redirect to its result, stored as the route stores it", async ({ baseURL }) => {
  const cohortId = makeCohort().id;
  const [ana, ben] = [await createUser({ role: "learner", cohortId }), await createUser({ role: "learner", cohortId })];
  const [apiAna, apiBen] = [await apiAs(baseURL!, ana.email), await apiAs(baseURL!, ben.email)];
  const a = openAttempt({ userId: ana.id, slug: "alpha" });
  const b = openAttempt({ userId: ben.id, slug: "alpha" });
  // The form's own address (`?index`) takes the fast path; with another parameter it goes through Remix.
  const fast = await post(apiAna, "/modules/alpha/quiz?index", formFor(a));
  const remix = await post(apiBen, "/modules/alpha/quiz?index&via=remix", formFor(b));
  expect(fast.status()).toBe(303);
  expect(fast.headers()["location"]).toBe(`/modules/alpha/quiz/attempts/${a.id}`);
  expect(remix.headers()["location"]).toBe(`/modules/alpha/quiz/attempts/${b.id}`);
  expect(answerWithoutId(fast)).toEqual(answerWithoutId(remix));
  const stored = (id: string) => {
    const attempt = getDb().select().from(quizAttempts).where(eq(quizAttempts.id, id)).get()!;
    const answers = getDb().select().from(quizAnswers).where(eq(quizAnswers.attemptId, id)).all();
    return { passed: attempt.passed, score: attempt.score, submitted: attempt.submittedAt !== null, answers: answers.map((x) => [x.questionId, x.correct]).sort() };
  };
  expect(stored(a.id)).toEqual({ ...stored(b.id), answers: stored(a.id).answers });
  expect(stored(a.id).passed).toBe(true);
  expect(stored(a.id).answers).toHaveLength(a.questionOrder.length);
  // The result page follows, as for any submission.
  expect((await apiAna.get(fast.headers()["location"]!)).status()).toBe(200);
});

test("anything but a plain, complete submission gets the route's answer, and nothing is stored", async ({ baseURL }) => {
  const learner = await createUser({ role: "learner", cohortId: makeCohort().id });
  const api = await apiAs(baseURL!, learner.email);
  const attempt = openAttempt({ userId: learner.id, slug: "alpha" });
  const submitted = () => getDb().select().from(quizAttempts).where(eq(quizAttempts.id, attempt.id)).get()!.submittedAt;

  // A question left out: the form again, with the route's message.
  const partial = await post(api, "/modules/alpha/quiz?index", formFor(attempt, { skip: 1 }));
  expect(partial.status()).toBe(400);
  expect(await partial.text()).toContain("Answer every question before submitting (1 left)");
  // A field that is not an answer, a choice that is not one, another content type: the route's refusals.
  expect((await post(api, "/modules/alpha/quiz?index", `${formFor(attempt)}&extra=1`)).status()).toBe(400);
  expect((await post(api, "/modules/alpha/quiz?index", `${formFor(attempt, { skip: 1 })}&q.${attempt.questionOrder[0]}=zz`)).status()).toBe(400);
  const json = await api.post("/modules/alpha/quiz?index", { data: { attemptId: attempt.id }, maxRedirects: 0 });
  expect(json.status()).toBe(415);
  // Another site's form: refused by the origin check, as every non-GET.
  const foreign = await api.post("/modules/alpha/quiz?index", {
    data: formFor(attempt),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" },
    maxRedirects: 0,
  });
  expect(foreign.status()).toBe(403);
  expect(submitted()).toBeNull();

  // Stored once; the second post of the same attempt is the route's 409.
  expect((await post(api, "/modules/alpha/quiz?index", formFor(attempt))).status()).toBe(303);
  const again = await post(api, "/modules/alpha/quiz?index", formFor(attempt));
  expect(again.status()).toBe(409);
  expect(await again.text()).toContain("already been submitted");

  // Without a session: the route keeps the answers and sends the learner to sign in.
  const anonymous = await apiAs(baseURL!);
  const other = await createUser({ role: "learner", cohortId: makeCohort().id });
  const kept = await post(anonymous, "/modules/alpha/quiz?index", formFor(openAttempt({ userId: other.id, slug: "alpha" })));
  expect(kept.status()).toBe(302);
  expect(kept.headers()["location"]).toMatch(/^\/login\?redirectTo=.*&kept=answers$/);
});
