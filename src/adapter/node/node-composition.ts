// The Node composition: src/app-composition.ts (context, senders, event sink, HTTP app) with the official
// Feishu SDK sender. The Worker entry (src/adapter/worker) uses composeRuntime directly with a fetch-based one.
import { createFeishuSender } from "../feishu/sender.js";
import { composeRuntime, type Runtime, type RuntimeInput } from "../../app-composition.js";

export type { Runtime, RuntimeInput, SenderFactories } from "../../app-composition.js";

export function createRuntime(input: RuntimeInput): Runtime {
  return composeRuntime(input, { feishu: (settings) => createFeishuSender(settings) });
}
