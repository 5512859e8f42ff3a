// Worker settings come from bindings (vars, secrets, a JSON var) instead of process.env and a file.
import { describe, expect, it } from "vitest";
import { workerConfig, workerEnv, type WorkerBindings } from "../../src/adapter/worker/bindings.js";
import { ChatDeskError } from "../../src/core/errors.js";

const DB = {} as WorkerBindings["DB"];

const failure = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return { code: (e as ChatDeskError).code, message: (e as Error).message };
  }
  throw new Error("expected a failure");
};

describe("workerEnv", () => {
  it("reads string bindings like the Node env and ignores the D1 binding and JSON vars", () => {
    const env = workerEnv({ DB, FEISHU_APP_ID: "cli_x", FEISHU_APP_SECRET: "s", LOG_LEVEL: "warn", CHATDESK_CONFIG_JSON: "{}", OTHER: { nested: true } });
    expect(env).toMatchObject({ FEISHU_APP_ID: "cli_x", FEISHU_APP_SECRET: "s", LOG_LEVEL: "warn", FEISHU_MODE: "webhook", DINGTALK_MODE: "http" });
  });

  it("refuses the long-connection modes, which need the Node server", () => {
    expect(failure(() => workerEnv({ DB, FEISHU_MODE: "ws" }))).toEqual({ code: "CONFIG_INVALID", message: expect.stringMatching(/FEISHU_MODE=ws needs the Node server/) });
    expect(failure(() => workerEnv({ DB, DINGTALK_MODE: "stream" }))).toEqual({ code: "CONFIG_INVALID", message: expect.stringMatching(/DINGTALK_MODE=stream needs the Node server/) });
  });

  it("refuses CHATDESK_CONFIG (a file path) and names the var to use instead", () => {
    expect(failure(() => workerEnv({ DB, CHATDESK_CONFIG: "./chatdesk.json" })).message).toMatch(/CHATDESK_CONFIG_JSON/);
  });

  it("names a bad variable", () => {
    expect(failure(() => workerEnv({ DB, LOG_LEVEL: "loud" }))).toEqual({ code: "CONFIG_INVALID", message: expect.stringMatching(/LOG_LEVEL/) });
  });
});

describe("workerConfig", () => {
  it("takes the workflow config as JSON text or as a JSON var object, merged over the defaults", () => {
    expect(workerConfig({ DB, CHATDESK_CONFIG_JSON: '{"numberPrefix":"CS"}' }).numberPrefix).toBe("CS");
    expect(workerConfig({ DB, CHATDESK_CONFIG_JSON: { locale: "en" } }).locale).toBe("en");
    const defaults = workerConfig({ DB });
    expect(defaults.numberPrefix).toBe("FB");
    expect(workerConfig({ DB, CHATDESK_CONFIG_JSON: "  " })).toEqual(defaults);
  });

  it("names the var and the field when the config is wrong", () => {
    expect(failure(() => workerConfig({ DB, CHATDESK_CONFIG_JSON: "{oops" }))).toEqual({ code: "CONFIG_INVALID", message: expect.stringMatching(/^CHATDESK_CONFIG_JSON is not valid JSON/) });
    expect(failure(() => workerConfig({ DB, CHATDESK_CONFIG_JSON: { numberPrefix: "lower" } })).message).toMatch(/CHATDESK_CONFIG_JSON is invalid:\n.*numberPrefix/);
  });
});
