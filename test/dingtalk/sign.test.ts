import { describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import { signCardCallback, signRobotCallback, verifyCardCallback, verifyRobotCallback } from "../../src/adapter/dingtalk/sign.js";
import { ChatDeskError } from "../../src/core/errors.js";

const TS = "1577262236757";
const SECRET = "this is a secret";

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(ChatDeskError);
    return (e as ChatDeskError).code;
  }
}

describe("robot callback signature", () => {
  it("matches the reference test vector (A.2)", async () => {
    expect(await signRobotCallback(TS, SECRET)).toBe("DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA=");
  });

  it("matches node:crypto for other inputs (UTF-8 secret)", async () => {
    const secret = "密钥-secret";
    const ts = "1700000000000";
    const expected = createHmac("sha256", secret).update(`${ts}\n${secret}`).digest("base64");
    expect(await signRobotCallback(ts, secret)).toBe(expected);
  });

  it("accepts a good sign inside the window", async () => {
    const now = Number(TS) + 59 * 60_000;
    const sign = await signRobotCallback(TS, SECRET);
    await expect(verifyRobotCallback({ timestamp: TS, sign }, SECRET, now)).resolves.toEqual({ timestamp: TS, signature: sign });
  });

  it("rejects a wrong sign, another secret's sign, garbage and a missing sign", async () => {
    const now = Number(TS);
    expect(await codeOf(verifyRobotCallback({ timestamp: TS, sign: "DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA=".replace("VGCQ", "VGCR") }, SECRET, now))).toBe("SIGNATURE_INVALID");
    expect(await codeOf(verifyRobotCallback({ timestamp: TS, sign: await signRobotCallback(TS, "other") }, SECRET, now))).toBe("SIGNATURE_INVALID");
    expect(await codeOf(verifyRobotCallback({ timestamp: TS, sign: "%%%not base64" }, SECRET, now))).toBe("SIGNATURE_INVALID");
    expect(await codeOf(verifyRobotCallback({ timestamp: TS }, SECRET, now))).toBe("SIGNATURE_INVALID");
  });

  it("rejects a sign computed for another timestamp", async () => {
    const sign = await signRobotCallback(String(Number(TS) - 1), SECRET);
    expect(await codeOf(verifyRobotCallback({ timestamp: TS, sign }, SECRET, Number(TS)))).toBe("SIGNATURE_INVALID");
  });

  it("rejects timestamps more than an hour away, either side, and malformed ones", async () => {
    const sign = await signRobotCallback(TS, SECRET);
    expect(await codeOf(verifyRobotCallback({ timestamp: TS, sign }, SECRET, Number(TS) + 3_600_001))).toBe("TIMESTAMP_STALE");
    expect(await codeOf(verifyRobotCallback({ timestamp: TS, sign }, SECRET, Number(TS) - 3_600_001))).toBe("TIMESTAMP_STALE");
    expect(await codeOf(verifyRobotCallback({ timestamp: "soon", sign }, SECRET, Number(TS)))).toBe("SIGNATURE_INVALID");
    expect(await codeOf(verifyRobotCallback({ sign }, SECRET, Number(TS)))).toBe("SIGNATURE_INVALID");
  });
});

describe("card callback signature", () => {
  it("matches the reference test vector (E.5)", async () => {
    expect(await signCardCallback(TS, SECRET)).toBe("cviWWKk4OPwVpK0VGNkvThhQ7PXwQPYvJhM+/YVA1VI=");
  });

  it("verifies, and rejects a mismatch or a stale timestamp", async () => {
    const signature = await signCardCallback(TS, SECRET);
    await expect(verifyCardCallback({ timestamp: TS, signature }, SECRET, Number(TS))).resolves.toEqual({ timestamp: TS, signature });
    expect(await codeOf(verifyCardCallback({ timestamp: TS, signature }, "other", Number(TS)))).toBe("SIGNATURE_INVALID");
    expect(await codeOf(verifyCardCallback({ timestamp: TS, signature: undefined }, SECRET, Number(TS)))).toBe("SIGNATURE_INVALID");
    expect(await codeOf(verifyCardCallback({ timestamp: TS, signature }, SECRET, Number(TS) + 2 * 3_600_000))).toBe("TIMESTAMP_STALE");
    // Five minutes, not the robot callbacks' hour (DingTalk documents no window for card callbacks).
    await expect(verifyCardCallback({ timestamp: TS, signature }, SECRET, Number(TS) + 4 * 60_000)).resolves.toBeDefined();
    expect(await codeOf(verifyCardCallback({ timestamp: TS, signature }, SECRET, Number(TS) + 6 * 60_000))).toBe("TIMESTAMP_STALE");
  });

  it("returns the signature in canonical base64, so respellings are one signature", async () => {
    const signature = await signCardCallback(TS, SECRET); // …VA1VI= ; "J" differs from "I" only in unused bits
    const respelled = `${signature.slice(0, 42)}J=`;
    expect(await verifyCardCallback({ timestamp: TS, signature: respelled }, SECRET, Number(TS))).toEqual({ timestamp: TS, signature });
  });
});
