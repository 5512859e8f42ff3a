// Development and tests: the processing worker from its TypeScript source, through tsx's loader
// (https://tsx.is/dev-api/register-esm); a worker thread does not take `--import` in its execArgv.
import { register } from "tsx/esm/api";

register();
await import("./processing-worker.ts");
