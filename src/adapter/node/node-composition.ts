// The Node composition: src/app-composition.ts (context, senders, event sink, HTTP app) with the official
// Feishu SDK sender where messages are delivered, the fetch-based one elsewhere (see createRuntime). The
// Worker entry (src/adapter/worker) uses composeRuntime directly with the fetch-based one.
import { createFeishuFetchSender } from "../feishu/fetch-sender.js";
import { createFeishuSender } from "../feishu/sender.js";
import { attachmentFiles, attachmentsDir } from "./attachment-files.js";
import { composeRuntime, type Runtime, type RuntimeInput } from "../../app-composition.js";

export type { Runtime, RuntimeInput, SenderFactories } from "../../app-composition.js";

/**
 * `feishuClient`: "fetch" for a thread that sends nothing itself (the HTTP thread, when the processing
 * worker delivers): it calls Feishu only to learn the bot's identity or answer a click, and the official
 * SDK costs ~100 MB resident once loaded; the Worker's fetch sender makes the same calls with the same
 * failure mapping. Everything that delivers keeps the SDK.
 */
export function createRuntime(input: RuntimeInput & { feishuClient?: "sdk" | "fetch" }): Runtime {
  const attachments = input.attachments ?? attachmentFiles(attachmentsDir(input.env.DATABASE_URL));
  const feishu = input.feishuClient === "fetch" ? createFeishuFetchSender : createFeishuSender;
  return composeRuntime({ ...input, attachments }, { feishu: (settings) => feishu(settings) });
}
