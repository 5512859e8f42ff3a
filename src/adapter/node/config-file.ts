// CHATDESK_CONFIG names a JSON file; without it the defaults of docs/spec.md apply.
import fs from "node:fs";
import { parseWorkflowConfig, parseWorkflowConfigText } from "../../config/load.js";
import type { WorkflowConfig } from "../../config/schema.js";
import { ChatDeskError } from "../../core/errors.js";

export function loadWorkflowConfig(file: string | undefined): WorkflowConfig {
  if (!file) return parseWorkflowConfig({}, "default config");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ChatDeskError("CONFIG_INVALID", `CHATDESK_CONFIG: cannot read ${file}: ${(e as Error).message}`);
  }
  return parseWorkflowConfigText(text, `CHATDESK_CONFIG (${file})`);
}
