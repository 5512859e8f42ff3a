// The Node composition: src/app-composition.ts (context, senders, event sink, HTTP app) with the official
// Feishu SDK sender. The Worker entry (src/adapter/worker) uses composeRuntime directly with a fetch-based one.
import { createFeishuSender } from "../feishu/sender.js";
import { attachmentFiles, attachmentsDir } from "./attachment-files.js";
import { composeRuntime, type Runtime, type RuntimeInput } from "../../app-composition.js";

export type { Runtime, RuntimeInput, SenderFactories } from "../../app-composition.js";

export function createRuntime(input: RuntimeInput): Runtime {
  const attachments = input.attachments ?? attachmentFiles(attachmentsDir(input.env.DATABASE_URL));
  return composeRuntime({ ...input, attachments }, { feishu: (settings) => createFeishuSender(settings) });
}
