// Starts the built app. `npm start` builds first when the build is missing or stale.
import { pathToFileURL } from "node:url";
import path from "node:path";

// React and Remix run their slow development builds unless told otherwise (remix-serve does the same).
process.env.NODE_ENV ??= "production";

const entry = path.resolve("build/index.js");
let build;
try {
  build = await import(pathToFileURL(entry).href);
} catch (error) {
  // One sentence for the operator, not a stack trace.
  const missing = error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes(entry);
  console.error(
    missing
      ? `There is no build (${entry} is missing): run \`npm run build\`, or start with \`npm start\`, which builds first.`
      : `The build in ${path.dirname(entry)} cannot be loaded (${String(error?.message ?? error).split("\n")[0]}): rebuild it with \`npm run build\`.`,
  );
  process.exit(1);
}
if (typeof build.entry?.module?.startServer !== "function") {
  console.error(`${entry} is not a build of this app (it has no startServer): rebuild it with \`npm run build\`.`);
  process.exit(1);
}
await build.entry.module.startServer(build);
