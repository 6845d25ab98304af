import { randomBytes } from "node:crypto";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { securityHeaders } from "~/auth/headers.server";
import { isAllowedOrigin } from "~/auth/origin.server";
import { withRequestAuth } from "~/auth/session.server";
import type { Env } from "~/env.server";

export function createApp(build: ServerBuild, env: Env) {
  const production = env.APP_MODE === "production";
  const app = express();
  app.disable("x-powered-by");
  // A hop count, never `true`: with `true` Express takes the left-most X-Forwarded-For, which
  // the client writes, so anyone could choose the address the sign-in throttle counts.
  if (env.TRUST_PROXY > 0) app.set("trust proxy", env.TRUST_PROXY);
  app.use(compression());

  app.use((_req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.set(securityHeaders({ nonce, production }));
    next();
  });

  // Fingerprinted assets never change: cache them for a year.
  app.use("/build", express.static(path.resolve("public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.resolve("public"), { maxAge: "1h" }));

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

  const handler = createRequestHandler({
    build,
    mode: production ? "production" : process.env.NODE_ENV,
    getLoadContext: (req, res) => ({
      cspNonce: String(res.locals.cspNonce),
      clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
    }),
  });

  app.all("*", (req, res, next) => {
    withRequestAuth(req.get("cookie") ?? null, (auth) => {
      auth
        .then(({ setCookie }) => {
          // Keep the browser's cookie in step with the session row (extended, or gone).
          if (setCookie) res.append("Set-Cookie", setCookie);
          return handler(req, res, next);
        })
        .catch(next);
    });
  });

  return app;
}
