// The replay checks of replay.test.ts again with processing on the worker thread as production runs it
// (CHATDESK_PROCESSING=worker): a signature's first use is then claimed on the HTTP thread's inbox
// connection (src/adapter/node/inbox.ts), not through the Prisma client.
process.env.CHATDESK_PROCESSING = "worker";
await import("./replay.test.js");
