// The DingTalk HTTP-mode life of life-http.test.ts again, with processing on the worker thread as
// production runs it (CHATDESK_PROCESSING=worker).
process.env.CHATDESK_PROCESSING = "worker";
await import("./life-http.test.js");
