import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "~/env.server";
import { createApp } from "./app.server";

// The smallest build Remix serves: one resource route that answers with the address the app saw.
const build = {
  mode: "production",
  entry: { module: { default: () => new Response("") } },
  routes: {
    root: {
      id: "root",
      path: "",
      module: { loader: ({ context }: { context: { clientIp: string } }) => new Response(context.clientIp) },
    },
  },
  assets: { entry: { module: "", imports: [] }, routes: {}, url: "", version: "test" },
  publicPath: "/build/",
  assetsBuildDirectory: "public/build",
  future: {},
  isSpaMode: false,
} as unknown as ServerBuild;

async function serve(trustProxy: string) {
  const server = createApp(build, parseEnv({ TRUST_PROXY: trustProxy })).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const ipFor = async (forwardedFor?: string) =>
    (await fetch(url, { headers: forwardedFor ? { "X-Forwarded-For": forwardedFor } : {} })).text();
  return { server, ipFor };
}

describe("the client address behind TRUST_PROXY", () => {
  let none: Awaited<ReturnType<typeof serve>>;
  let one: Awaited<ReturnType<typeof serve>>;
  let two: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    [none, one, two] = await Promise.all([serve("0"), serve("1"), serve("2")]);
  });
  afterAll(() => {
    for (const s of [none, one, two]) s.server.close();
  });

  it("ignores X-Forwarded-For without a proxy", async () => {
    expect(await none.ipFor("203.0.113.9")).toMatch(/127\.0\.0\.1$/);
  });

  it("with one proxy takes the address that proxy appended, not a forged one to its left", async () => {
    // The proxy appends the address it saw (198.51.100.7); the client forged 203.0.113.9.
    expect(await one.ipFor("203.0.113.9, 198.51.100.7")).toBe("198.51.100.7");
    expect(await one.ipFor("198.51.100.7")).toBe("198.51.100.7");
  });

  it("with two proxies takes the address the outer one appended", async () => {
    expect(await two.ipFor("203.0.113.9, 198.51.100.7, 10.0.0.2")).toBe("198.51.100.7");
  });
});
