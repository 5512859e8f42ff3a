// Child process for crash tests: the Node server as `npm start` runs it (config and env from the
// environment), except that once it is up, work deferred past an acknowledgement never runs. The
// parent SIGKILLs this process after it sees the ack: exactly what a crash between ack and
// processing leaves behind. Prints {"ready": url} when it accepts requests.
import { startNodeServer } from "../../src/adapter/node/server.js";

// Inline processing: the work an acknowledgement defers runs on this thread, where it is stopped below
// (with the worker thread the event would be processed before the kill).
const server = await startNodeServer({ pollMs: 0, env: { ...process.env, CHATDESK_PROCESSING: "inline" } });
await server.idle(); // the startup recovery sweep has run
// The server defers with the global setImmediate; Node's own I/O uses its internal timers, so only
// deferred work stops.
globalThis.setImmediate = ((..._args: unknown[]) => ({ ref() {}, unref() {}, hasRef: () => false })) as unknown as typeof setImmediate;
process.stdout.write(`${JSON.stringify({ ready: server.url })}\n`);
