// `npm start`: run the bot on Node. Bad configuration exits with a message that names the field.
// SIGTERM / SIGINT shut down gracefully within SHUTDOWN_TIMEOUT_MS (then exit 1 anyway); a second signal
// exits at once.
import fs from "node:fs";
import { isChatDeskError } from "../../core/errors.js";
import { startNodeServer } from "./server.js";

// A .env in the working directory (see .env.example); variables already in the environment win.
if (fs.existsSync(".env")) process.loadEnvFile(".env");

try {
  const server = await startNodeServer();
  const log = server.ctx.log;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      log.warn("second signal: exiting now", { signal });
      process.exit(1);
    }
    stopping = true;
    const limitMs = server.env.SHUTDOWN_TIMEOUT_MS;
    log.info("shutting down", { signal, limitMs });
    setTimeout(() => {
      log.error("shutdown did not finish in time: exiting anyway", { limitMs });
      process.exit(1);
    }, limitMs).unref();
    server.close().then(
      () => {
        log.info("shut down");
        process.exit(0);
      },
      (e: unknown) => {
        log.error("shutdown failed", { error: e });
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
} catch (e) {
  if (isChatDeskError(e) && e.code === "CONFIG_INVALID") {
    console.error(`chatdesk: ${e.message}`);
    process.exit(2);
  }
  console.error("chatdesk: failed to start:", e);
  process.exit(1);
}
