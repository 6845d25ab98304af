import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { noteDatabaseFailure } from "~/models/health.server";
import { NonceProvider } from "./nonce";
import { renderDocument } from "./server/render-document.server";
import "./server/context";

// The custom server (server.mjs) starts through this export, so that the app's server code
// (database client, auth) exists once per process, inside the Remix build.
export { startServer } from "./server/boot.server";

const ABORT_DELAY = 5_000;

export const handleError: HandleErrorFunction = (error, { request }) => {
  // A client that went away is not a server error.
  if (request.signal.aborted) return;
  // A refusal the router made itself (405 for a POST where no action is, 404) is the client's
  // mistake: logging each one would let anyone fill the log.
  if (isRouteErrorResponse(error) && error.status < 500) return;
  noteDatabaseFailure(error);
  console.error(error);
};

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce ?? "";
  const html = await renderDocument(
    <NonceProvider value={nonce}>
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
    </NonceProvider>,
    {
      nonce,
      timeoutMs: ABORT_DELAY,
      onError(error, inShell) {
        responseStatusCode = 500;
        // Errors of the shell reject the render, and Remix reports those (handleError).
        if (!inShell) console.error(error);
      },
    },
  );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return new Response(html, { headers: responseHeaders, status: responseStatusCode });
}
