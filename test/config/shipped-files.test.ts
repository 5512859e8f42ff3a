// What the repository ships for people who configure ChatDesk: the workflow file's JSON Schema (generated from
// the zod schema, never stale), every workflow JSON file in the repository (valid against that schema and
// accepted by the server), and .env.example (every variable the server reads, with values it accepts).
import fs from "node:fs";
import path from "node:path";
import { parseEnv as parseDotenv } from "node:util";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { envSchema, parseEnv } from "../../src/config/env.js";
import { parseWorkflowConfig } from "../../src/config/load.js";
import { WORKFLOW_SCHEMA_FILE, workflowJsonSchemaText } from "../../src/config/workflow-json-schema.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Workflow files anywhere in docs/ and src/: *workflow*.json, the schema itself excepted. */
function workflowFiles(dir = ROOT, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (dir === ROOT ? ["docs", "src"].includes(e.name) : e.name !== "generated" && e.name !== "node_modules") workflowFiles(p, out);
    } else if (dir !== ROOT && /workflow.*\.json$/.test(e.name) && p !== WORKFLOW_SCHEMA_FILE) out.push(p);
  }
  return out.sort();
}

function validator() {
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true }));
  return ajv.compile(JSON.parse(fs.readFileSync(WORKFLOW_SCHEMA_FILE, "utf8")) as object);
}

describe("docs/workflow.schema.json", () => {
  it("is what src/config/schema.ts generates (run `npm run schema:workflow` after changing the schema)", () => {
    expect(fs.readFileSync(WORKFLOW_SCHEMA_FILE, "utf8"), "docs/workflow.schema.json is stale: run `npm run schema:workflow`").toBe(workflowJsonSchemaText());
  });

  it("is itself a valid draft 2020-12 schema, strict mode", () => {
    expect(() => validator()).not.toThrow();
  });

  it("catches what people get wrong: a misspelt key, a bad duration, an incomplete array item", () => {
    const validate = validator();
    expect(validate({ departmets: [] })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ keyword: "additionalProperties", params: { additionalProperty: "departmets" } });
    expect(validate({ sla: { high: { response: "soon" } } })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: "/sla/high/response", keyword: "pattern" });
    expect(validate({ people: [{ id: "zhang" }] })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: "/people/0", keyword: "required", params: { missingProperty: "name" } });
    // …while a partial override of a merged object is fine, as the server merges it.
    expect(validate({ sla: { high: { response: "2h" } }, calendar: { timeZone: "Europe/Berlin" } })).toBe(true);
  });
});

describe("shipped workflow files", () => {
  const files = workflowFiles();

  it("include the annotated example", () => {
    expect(files.map((f) => path.relative(ROOT, f))).toContain(path.join("docs", "examples", "workflow.json"));
  });

  it.each(files.map((f) => [path.relative(ROOT, f), f]))("%s validates against the schema and starts the server's config", (_name, file) => {
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    const validate = validator();
    expect(validate(json), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(() => parseWorkflowConfig(json, file)).not.toThrow();
  });
});

describe(".env.example", () => {
  const text = fs.readFileSync(path.join(ROOT, ".env.example"), "utf8");
  const listed = parseDotenv(text);

  it("lists every variable the server reads", () => {
    const missing = Object.keys(envSchema.shape).filter((k) => !(k in listed));
    expect(missing, "add these to .env.example (with a one-line comment)").toEqual([]);
    const unknown = Object.keys(listed).filter((k) => !(k in envSchema.shape));
    expect(unknown, "the server does not read these").toEqual([]);
  });

  it("copied as it is to .env, starts the server with its defaults", () => {
    expect(parseEnv(listed)).toEqual(parseEnv({}));
  });
});
