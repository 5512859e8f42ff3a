// The Feishu ticket life of life.test.ts again, with processing on the worker thread as production
// runs it (CHATDESK_PROCESSING=worker): events processed and cards delivered by another thread with
// its own database connection, the clock shared with it.
process.env.CHATDESK_PROCESSING = "worker";
await import("./life.test.js");
