// `npm start`: run the bot on Node. Bad configuration exits with a message that names the field.
import { isChatDeskError } from "../../core/errors.js";
import { startNodeServer } from "./server.js";

try {
  const server = await startNodeServer();
  const shutdown = (signal: string) => {
    server.ctx.log.info("shutting down", { signal });
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
} catch (e) {
  if (isChatDeskError(e) && e.code === "CONFIG_INVALID") {
    console.error(`chatdesk: ${e.message}`);
    process.exit(2);
  }
  console.error("chatdesk: failed to start:", e);
  process.exit(1);
}
