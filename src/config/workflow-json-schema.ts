// The JSON Schema of the workflow file (docs/workflow.schema.json), generated from the zod schema so editors
// complete and check CHATDESK_CONFIG files. Regenerate after changing src/config/schema.ts:
//   npm run schema:workflow
// (test/config/workflow-schema.test.ts fails while the shipped file is stale.)
//
// The file is an override deep-merged over the defaults (src/config/load.ts): objects merge key by key, so
// nothing inside an object is required; arrays replace the default whole, so an array's items must be
// complete. The schema says exactly that. Cross-references (a department's person ids, a category's
// department) are checked by the server at start; JSON Schema cannot express them.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { workflowConfigSchema } from "./schema.js";

type Node = Record<string, unknown>;

export const WORKFLOW_SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/workflow.schema.json");

const NOTE = { type: "string", description: "A note for people reading the file; ChatDesk ignores it." };

/** Objects reached through object keys only lose `required` (they are merged); array items keep theirs. */
function relax(node: unknown, merged: boolean): void {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) return node.forEach((n) => relax(n, merged));
  const n = node as Node;
  if (n.type === "object" && n.properties) {
    if (merged) delete n.required;
    // zod strips unknown keys silently; the schema flags them, so a typo shows in the editor.
    n.additionalProperties ??= false;
    (n.properties as Node).$comment = NOTE;
    for (const v of Object.values(n.properties as Node)) relax(v, merged);
  }
  if (n.items) relax(n.items, false);
  for (const k of ["anyOf", "oneOf", "allOf"]) if (n[k]) relax(n[k], merged);
  if (n.additionalProperties && typeof n.additionalProperties === "object") relax(n.additionalProperties, false);
}

export function workflowJsonSchema(): Node {
  const schema = z.toJSONSchema(workflowConfigSchema, { io: "input", target: "draft-2020-12", unrepresentable: "any" }) as Node;
  relax(schema, true);
  (schema.properties as Node).$schema = { type: "string", description: "Path or URL of this JSON Schema, for editors." };
  return {
    $schema: schema.$schema,
    title: "ChatDesk workflow file (CHATDESK_CONFIG)",
    description:
      "Every key is optional and is deep-merged over the defaults (docs/spec.md); arrays replace the default. Generated from src/config/schema.ts by `npm run schema:workflow`; see docs/configuration.md.",
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
  };
}

export const workflowJsonSchemaText = () => `${JSON.stringify(workflowJsonSchema(), null, 2)}\n`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(WORKFLOW_SCHEMA_FILE, workflowJsonSchemaText());
  console.log(`wrote ${path.relative(process.cwd(), WORKFLOW_SCHEMA_FILE)}`);
}
