import type { ReactNode } from "react";
import { renderToReadableStream } from "react-dom/server.browser";

/**
 * Renders a whole HTML document to one string, once everything (single fetch's data included) is ready.
 *
 * Not React 18's Node renderer (renderToPipeableStream): it encodes text into reused 2 KiB buffers and,
 * when a multi-byte character does not fit at the end of one, sends the whole buffer, padding included,
 * so NUL bytes land in the page (facebook/react#24985, fixed only in React 19). The web-stream renderer
 * encodes each string whole. Our pages are small and have no Suspense of their own, so waiting for the
 * whole document costs nothing a reader would notice.
 */
export async function renderDocument(
  element: ReactNode,
  {
    nonce,
    timeoutMs = 5_000,
    onError,
  }: {
    nonce?: string;
    /** After this, what is still pending is given up (rendered by the browser, or its error shown). */
    timeoutMs?: number;
    /** Every rendering error; `inShell` when it also rejects the render (the caller reports those). */
    onError?: (error: unknown, inShell: boolean) => void;
  },
): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`rendering took longer than ${timeoutMs} ms`)), timeoutMs);
  try {
    let shellReady = false;
    const stream = await renderToReadableStream(element, {
      nonce,
      signal: controller.signal,
      onError: (error) => onError?.(error, !shellReady),
    });
    shellReady = true;
    await stream.allReady;
    return moveTrailingContentIntoBody(await new Response(stream).text());
  } finally {
    // Aborting a finished render would make React close its stream a second time.
    clearTimeout(timer);
  }
}

const END = "</body></html>";

/**
 * Remix renders single fetch's data <script>s as siblings of <html>, so they come after `</html>`,
 * where HTML allows nothing. A browser parses them into the end of <body> anyway: this writes them
 * there, which gives the same DOM and a valid document.
 */
export function moveTrailingContentIntoBody(html: string): string {
  const end = html.indexOf(END);
  if (end < 0 || end + END.length === html.length) return html;
  return html.slice(0, end) + html.slice(end + END.length) + END;
}
