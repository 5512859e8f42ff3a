// Parse and validate a workflow config (defaults deep-merged with an override object).
// Reading the file is the runtime's job (Node reads CHATDESK_CONFIG; a Worker gets JSON from a var).
import { ChatDeskError } from "../core/errors.js";
import { defaultWorkflow } from "./defaults.js";
import { workflowConfigSchema, type WorkflowConfig } from "./schema.js";

type Json = unknown;

const isPlainObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and scalars in the override replace the default. */
export function deepMerge(base: Json, override: Json): Json {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, Json> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
  return out;
}

export function parseWorkflowConfig(override: Json = {}, source = "CHATDESK_CONFIG"): WorkflowConfig {
  if (!isPlainObject(override)) throw new ChatDeskError("CONFIG_INVALID", `${source}: expected a JSON object at the top level`);
  const result = workflowConfigSchema.safeParse(deepMerge(defaultWorkflow, override));
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
    throw new ChatDeskError("CONFIG_INVALID", `${source} is invalid:\n${lines.join("\n")}`, { issues: result.error.issues });
  }
  return result.data;
}

export function parseWorkflowConfigText(text: string, source = "CHATDESK_CONFIG"): WorkflowConfig {
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ChatDeskError("CONFIG_INVALID", `${source} is not valid JSON: ${(e as Error).message}`);
  }
  return parseWorkflowConfig(json, source);
}
