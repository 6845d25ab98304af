// Starts the built app. `npm start` builds first when the build is missing or stale.
import { pathToFileURL } from "node:url";
import path from "node:path";

// React and Remix run their slow development builds unless told otherwise (remix-serve does the same).
process.env.NODE_ENV ??= "production";

const build = await import(pathToFileURL(path.resolve("build/index.js")).href);
await build.entry.module.startServer(build);
