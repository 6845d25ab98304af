// The fast path of a learner's commonest write, a graded quiz submission (ADR 011): a complete,
// valid form posted without JavaScript to `/modules/:slug/quiz?index` by a signed-in learner. It
// reads the form as the route does, stores it with the route's own model function, and answers
// with the route's redirect to the result. Anything else (another content type or size, a form the
// route would refuse, an unanswered question, any error) goes to Remix with the body already read,
// where the route answers it; nothing was written then, since submitAttempt writes only a
// complete, valid attempt.
import type http from "node:http";
import type { SessionUser } from "~/auth/session.server";
import { MAX_BODY_BYTES, MAX_FORM_FIELDS } from "~/lib/forms.server";
import { learnerLesson } from "~/models/learner.server";
import { readAnswers, submitAttemptDurably } from "~/models/quiz.server";

const QUIZ_PATH = /^\/modules\/([a-z0-9][a-z0-9_-]*)\/quiz(?:\?index)?$/;

/** The request's body, when it is a small urlencoded form with a declared length; undefined otherwise. */
function readSmallForm(req: http.IncomingMessage): Promise<Buffer> | undefined {
  const type = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  const declared = Number(req.headers["content-length"] ?? NaN);
  const plain = !req.headers["content-encoding"] || req.headers["content-encoding"] === "identity";
  if (type !== "application/x-www-form-urlencoded" || !plain || req.headers["transfer-encoding"] !== undefined) return undefined;
  if (!Number.isInteger(declared) || declared <= 0 || declared > MAX_BODY_BYTES) return undefined;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

export function quizSubmissionPath(req: http.IncomingMessage): boolean {
  return req.method === "POST" && QUIZ_PATH.test(req.url ?? "");
}

/**
 * Stores a graded submission and answers it, or leaves it to Remix: resolves to false with the
 * body, when read, in `req.body` (where the server's body limit looks first).
 */
export async function submitQuickly(
  req: http.IncomingMessage & { body?: Buffer },
  res: http.ServerResponse,
  user: SessionUser,
  headers: Record<string, string>,
): Promise<boolean> {
  const slug = QUIZ_PATH.exec(req.url ?? "")?.[1];
  const read = user.role === "learner" && slug ? readSmallForm(req) : undefined;
  if (!read) return false;
  req.body = await read;
  // The route's context: the module in the learner's edition, with a quiz.
  const module = learnerLesson({ userId: user.id, slug: slug! })?.module;
  if (!module?.quiz) return false;
  const fields = [...new URLSearchParams(req.body.toString("utf8"))];
  if (fields.length > MAX_FORM_FIELDS) return false;
  const { attemptId, answers, unexpected } = readAnswers(fields);
  if (unexpected !== undefined || typeof attemptId !== "string" || !attemptId) return false;
  let stored;
  try {
    stored = await submitAttemptDurably({ userId: user.id, slug: module.slug, attemptId, answers });
  } catch {
    return false;
  }
  if (stored.unanswered) return false;
  res.writeHead(303, { ...headers, Location: `/modules/${module.slug}/quiz/attempts/${stored.attempt.id}` });
  res.end();
  return true;
}
