// The Node composition: runtime-core with the official Feishu SDK sender. The Worker entry
// (src/adapter/worker) uses composeRuntime directly with a fetch-based sender instead.
import { createFeishuSender } from "./adapter/feishu/sender.js";
import { composeRuntime, type Runtime, type RuntimeInput } from "./runtime-core.js";

export type { Runtime, RuntimeInput, SenderFactories } from "./runtime-core.js";

export function createRuntime(input: RuntimeInput): Runtime {
  return composeRuntime(input, { feishu: (settings) => createFeishuSender(settings) });
}
