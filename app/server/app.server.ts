import { randomUUID } from "node:crypto";
import http from "node:http";
import path from "node:path";
// The adapter's own request and response halves (its handler would read the body a second time,
// from the stream that limitBody has already read); the version is pinned in package.json.
import { createRemixRequest, sendRemixResponse } from "@remix-run/express/dist/server.js";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { securityHeaders } from "~/auth/headers.server";
import { isAllowedOrigin } from "~/auth/origin.server";
import { liveSessionFromCookie, withRequestAuth, type ValidatedSession } from "~/auth/session.server";
import type { Env } from "~/env.server";
import { noteDatabaseFailure } from "~/models/health.server";
import { limitBody, withReadBody } from "./body.server";
import { createLessonPages } from "./lesson-pages.server";
import { quizSubmissionPath, submitQuickly } from "./quiz-submissions.server";

const header = (req: http.IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function createApp(build: ServerBuild, env: Env) {
  const production = env.APP_MODE === "production";
  const app = express();
  app.disable("x-powered-by");
  // A hop count, never `true`: with `true` Express takes the left-most X-Forwarded-For, which
  // the client writes, so anyone could choose the address the sign-in throttle counts.
  if (env.TRUST_PROXY > 0) app.set("trust proxy", env.TRUST_PROXY);
  // randomUUID draws from a pool of random bytes: randomBytes(16) was a tenth of a lesson page's CPU.
  // 122 random bits, in characters a CSP nonce allows.
  const newNonce = () => randomUUID().replaceAll("-", "");
  const lessonPages = createLessonPages();
  /** The session a fast path read, for a request it passed on to Express. */
  const authOf = new WeakMap<http.IncomingMessage, Promise<ValidatedSession>>();

  app.use(compression());

  app.use((_req, res, next) => {
    const nonce = newNonce();
    res.locals.cspNonce = nonce;
    res.set(securityHeaders({ nonce, production }));
    next();
  });
  app.use(limitBody);

  // Fingerprinted assets never change: cache them for a year.
  app.use("/build", express.static(path.resolve("public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.resolve("public"), { maxAge: "1h" }));

  // Every answer past the static files may hold personal data: on a shared computer the browser
  // must not keep it. A route that chose its own caching (content-hashed course images) keeps it.
  app.use((_req, res, next) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
      if (!res.hasHeader("Cache-Control")) res.setHeader("Cache-Control", "private, no-store");
      return writeHead.apply(this, args);
    } as typeof writeHead;
    next();
  });

  app.use((req, res, next) => {
    const expectedOrigin = env.PUBLIC_ORIGIN ?? `${req.protocol}://${req.get("host")}`;
    const allowed = isAllowedOrigin({
      method: req.method,
      origin: req.get("origin"),
      secFetchSite: req.get("sec-fetch-site"),
      expectedOrigin,
    });
    if (allowed) {
      // NOTE: Remix repeats a Host-vs-Origin comparison on document POSTs and throws on
      // `Origin: null`, which browsers send for our own forms under Referrer-Policy: no-referrer.
      // This check is the one that decides (against PUBLIC_ORIGIN, which a proxy's Host may not
      // match), so the header is not passed on.
      delete req.headers.origin;
      return next();
    }
    res
      .status(403)
      .type("text/plain")
      .send("Forbidden: this request did not come from a page of this site (Origin check failed).");
  });

  const handleRequest = createRequestHandler(build, production ? "production" : process.env.NODE_ENV);
  const handler = async (req: express.Request, res: express.Response, keep: ((status: number, html: string) => void) | null) => {
    let response = await handleRequest(withReadBody(createRemixRequest(req, res), req), {
      cspNonce: String(res.locals.cspNonce),
      clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
    });
    if (keep) {
      const html = await response.text();
      keep(response.status, html);
      response = new Response(html, response);
    }
    await sendRemixResponse(res, response);
  };

  app.all("*", (req, res, next) => {
    // A request a fast path declined brings the session it read: validated twice, a session lucia
    // had just extended would no longer be "fresh", and its new cookie would be lost.
    withRequestAuth(req.get("cookie") ?? null, authOf.get(req), (auth) => {
      auth
        .then(({ setCookie, user }) => {
          // Keep the browser's cookie in step with the session row (extended, or gone).
          if (setCookie) res.append("Set-Cookie", setCookie);
          return handler(req, res, lessonPages.capture(req, user));
        })
        .catch(next);
    });
  });

  // Errors outside Remix's loaders (the session check) also tell /healthz about a damaged or unwritable file.
  app.use((error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    // Express's own refusals (a path that does not decode, 400) are the client's mistake: answered in
    // a sentence, not logged with a stack trace that anyone could repeat to fill the log.
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === "number" && status >= 400 && status < 500 && !res.headersSent) {
      res.status(status).type("text/plain").send(status === 400 ? "Bad request: this address could not be read." : "Request refused.");
      return;
    }
    noteDatabaseFailure(error);
    next(error);
  });

  // A signed-in learner's lesson section or dashboard, when its page is kept (ADR 010): answered
  // before Express, with the headers the stack would give it. Anything else, and any doubt, goes to Express.
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (quizSubmissionPath(req)) return submitQuiz(req, res);
    if (req.method !== "GET" || !lessonPages.candidate(req)) return app(req, res);
    // Synchronous: the commonest session is read without a promise. Any other goes to lucia, on Express's path.
    const session = liveSessionFromCookie(req.headers.cookie ?? null);
    if (!session) return app(req, res);
    const headers = { ...securityHeaders({ nonce: newNonce(), production }), "Cache-Control": "private, no-store" };
    if (lessonPages.serve(req, res, session.user, headers)) return;
    authOf.set(req, Promise.resolve(session));
    app(req, res);
  };
  // A graded quiz submission (ADR 011): answered before Express when it is the plain case, with the
  // origin check every non-GET gets; the rest goes to Express with the body already read.
  const submitQuiz = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const session = liveSessionFromCookie(req.headers.cookie ?? null);
    // Behind a proxy the scheme is the proxy's to tell, and Express reads it.
    const scheme = (req.socket as { encrypted?: boolean }).encrypted ? "https" : "http";
    const expectedOrigin = env.PUBLIC_ORIGIN ?? (env.TRUST_PROXY > 0 ? undefined : `${scheme}://${req.headers.host}`);
    const allowed =
      expectedOrigin !== undefined &&
      isAllowedOrigin({ method: "POST", origin: req.headers.origin, secFetchSite: header(req, "sec-fetch-site"), expectedOrigin });
    if (!session?.user || !allowed) return app(req, res);
    const headers = { ...securityHeaders({ nonce: newNonce(), production }), "Cache-Control": "private, no-store" };
    submitQuickly(req, res, session.user, headers)
      .then((done) => {
        if (done) return;
        authOf.set(req, Promise.resolve(session));
        app(req, res);
      })
      .catch(() => app(req, res));
  };

  return Object.assign(listener, {
    listen: (port: number, host: string, callback?: () => void) => http.createServer(listener).listen(port, host, callback),
  });
}
