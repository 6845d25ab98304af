import type http from "node:http";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { getPublicQuiz, getQuizKey } from "~/content/course.server";
import { makeCohort, makeUser } from "~/models/factories.server";
import { attemptQuestions, getAttempt, openAttempt, type Attempt } from "~/models/quiz.server";
import { quizSubmissionPath, submitQuickly } from "./quiz-submissions.server";

function request(url: string, body: string, headers: Record<string, string> = {}) {
  const req = Readable.from([Buffer.from(body)]) as unknown as http.IncomingMessage & { body?: Buffer };
  Object.assign(req, {
    method: "POST",
    url,
    headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)), ...headers },
  });
  return req;
}

function response() {
  const sent: { status?: number; headers?: Record<string, unknown>; ended?: boolean } = {};
  const res = {
    writeHead: (status: number, headers: Record<string, unknown>) => Object.assign(sent, { status, headers }),
    end: () => Object.assign(sent, { ended: true }),
  } as unknown as http.ServerResponse;
  return { res, sent };
}

function formFor(attempt: Attempt, { skip = 0 } = {}) {
  const key = getQuizKey("alpha")!;
  const body = new URLSearchParams({ attemptId: attempt.id });
  for (const q of attemptQuestions(attempt, getPublicQuiz("alpha")!).slice(skip)) {
    for (const c of key.questions.find((k) => k.id === q.id)!.correct) body.append(`q.${q.id}`, c);
  }
  return body.toString();
}

async function learner() {
  const user = await makeUser({ role: "learner", cohortId: makeCohort().id, passwordHash: null });
  return { id: user.id, email: user.email, name: user.name, role: user.role, country: user.country };
}

describe("the quiz submission's fast path", () => {
  it("stores a complete submission and answers with the redirect to its result", async () => {
    const ana = await learner();
    const attempt = openAttempt({ userId: ana.id, slug: "alpha" });
    const req = request("/modules/alpha/quiz?index", formFor(attempt));
    expect(quizSubmissionPath(req)).toBe(true);
    const { res, sent } = response();
    expect(await submitQuickly(req, res, ana, { "X-Frame-Options": "DENY" })).toBe(true);
    expect(sent).toEqual({ status: 303, headers: { "X-Frame-Options": "DENY", Location: `/modules/alpha/quiz/attempts/${attempt.id}` }, ended: true });
    expect(getAttempt({ userId: ana.id, attemptId: attempt.id })?.submittedAt).toBeInstanceOf(Date);
  });

  it("leaves everything else to the route, with the body it read and nothing stored", async () => {
    const ana = await learner();
    const attempt = openAttempt({ userId: ana.id, slug: "alpha" });
    const declined = async (req: http.IncomingMessage & { body?: Buffer }, user = ana) => {
      const { res, sent } = response();
      expect(await submitQuickly(req, res, user, {})).toBe(false);
      expect(sent).toEqual({});
      return req;
    };
    // An unanswered question: the body is kept for the route, which shows the form again.
    const partial = await declined(request("/modules/alpha/quiz?index", formFor(attempt, { skip: 1 })));
    expect(partial.body?.toString()).toBe(formFor(attempt, { skip: 1 }));
    await declined(request("/modules/alpha/quiz?index", `${formFor(attempt)}&extra=1`));
    await declined(request("/modules/alpha/quiz?index", formFor(attempt), { "content-type": "multipart/form-data; boundary=x" }));
    await declined(request("/modules/alpha/quiz?index", formFor(attempt), { "content-encoding": "gzip" }));
    await declined(request("/modules/gamma/quiz?index", formFor(attempt)));
    await declined(request("/modules/alpha/quiz?index", formFor(attempt)), { ...ana, role: "instructor" });
    expect(getAttempt({ userId: ana.id, attemptId: attempt.id })?.submittedAt).toBeNull();
    // Other addresses and methods are not its to answer.
    expect(quizSubmissionPath(request("/modules/alpha/quiz?index&x=1", ""))).toBe(false);
    expect(quizSubmissionPath(Object.assign(request("/modules/alpha/quiz", ""), { method: "GET" }))).toBe(false);
  });
});
