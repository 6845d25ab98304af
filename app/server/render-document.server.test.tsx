import { Suspense } from "react";
import { describe, expect, it } from "vitest";
import { renderDocument } from "./render-document.server";

const NAME = "Zoë Ångström-Müller ✓ 日本";

describe("renderDocument", () => {
  it("sends multi-byte text across every buffer boundary with no NUL byte and nothing lost", async () => {
    // Pieces of every length put a multi-byte character at every position of React's 2 KiB buffers.
    const html = await renderDocument(
      <html lang="en">
        <body>
          {Array.from({ length: 800 }, (_, i) => (
            <p key={i}>
              {"x".repeat(i % 11)}
              {NAME}
            </p>
          ))}
        </body>
      </html>,
      {},
    );
    expect(Buffer.byteLength(html)).toBeGreaterThan(8 * 4096);
    expect(html.indexOf("\0")).toBe(-1);
    expect(html.split(NAME)).toHaveLength(801);
  });

  it("writes content rendered after </html> (single fetch's data scripts) at the end of <body>", async () => {
    let ready = false;
    const later = new Promise<void>((resolve) => setTimeout(() => ((ready = true), resolve()), 10));
    function Data() {
      if (!ready) throw later;
      return <script nonce="n0nce">{"window.data = 1;"}</script>;
    }
    const html = await renderDocument(
      <>
        <html lang="en">
          <body>
            <p>{NAME}</p>
          </body>
        </html>
        <Suspense>
          <Data />
        </Suspense>
      </>,
      { nonce: "n0nce" },
    );
    expect(html.endsWith("</body></html>")).toBe(true);
    expect(html).toMatch(/<p>Zoë[^<]*<\/p><!--\$--><script nonce="n0nce">window.data = 1;<\/script><!--\/\$--><\/body><\/html>$/);
  });
});
