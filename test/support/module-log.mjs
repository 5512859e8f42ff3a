// `node --import ./test/support/module-log.mjs …`: appends the URL of every module the process
// resolves to the file named by MODULE_LOG, so a test can see what a process really loaded
// (https://nodejs.org/api/module.html#customization-hooks).
import { register } from "node:module";

register("./module-log-hooks.mjs", import.meta.url, { data: { file: process.env.MODULE_LOG } });
