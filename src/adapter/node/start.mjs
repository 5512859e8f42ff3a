// `npm start`: runs the compiled server (dist/node/main.js), building it first when it is missing or
// older than its sources, so that a fresh clone needs only `npm install` and `npm start`.
// One process: the build runs in it and the server is imported after, so its pid is the server's.
import { build, OUT_DIR, staleReason } from "./build.mjs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const why = staleReason();
if (why) {
  console.error(`chatdesk: building the server (${why})`);
  await build({ quiet: true });
}
await import(pathToFileURL(path.join(OUT_DIR, "main.js")).href);
