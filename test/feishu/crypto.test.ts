import { describe, expect, it } from "vitest";
import { ChatDeskError } from "../../src/core/errors.js";
import {
  decryptFeishu,
  encryptFeishu,
  legacyCardSignature,
  signature,
  verifyFeishuRequest,
} from "../../src/adapter/feishu/crypto.js";
import { cardActionEvent, challengeRequest, legacyCardAction, messageEvent, post, TEST_SECRETS } from "../support/feishu-events.js";

// A known vector: the url_verification body encrypted by the Lark Node SDK's AESCipher with a fixed IV of sixteen
// 0x01 bytes. Scheme: https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/encrypt-key-encryption-configuration-case
const KEY = "test-encrypt-key";
const ENCRYPTED_CHALLENGE =
  '{"encrypt":"AQEBAQEBAQEBAQEBAQEBAaSgYhH9eYHp63T1TJvgKMSEXuFvb6DWL+nz2KIWs6vJi+T6rrSNoIyPt0lE/Fb59PLXeeanQW+a56EP5KDBbOXrnD1yAOrOefSnuP7JlrtmnjqWASUnlPD2qSlzQ5O0VA=="}';
const PLAIN_CHALLENGE = '{"challenge":"ajls384kdjx98XX","token":"test-verification-token","type":"url_verification"}';
const settings = { encryptKey: KEY, verificationToken: "test-verification-token" };

async function rejects(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ChatDeskError);
    return (e as ChatDeskError).code;
  }
  throw new Error("expected a rejection");
}

describe("feishu crypto", () => {
  it("decrypts the reference vector", async () => {
    const enc = (JSON.parse(ENCRYPTED_CHALLENGE) as { encrypt: string }).encrypt;
    expect(await decryptFeishu(enc, KEY)).toBe(PLAIN_CHALLENGE);
  });

  it("encrypts with a fixed iv to the reference ciphertext and round-trips", async () => {
    const enc = (JSON.parse(ENCRYPTED_CHALLENGE) as { encrypt: string }).encrypt;
    expect(await encryptFeishu(PLAIN_CHALLENGE, KEY, new Uint8Array(16).fill(1))).toBe(enc);
    const random = await encryptFeishu("你好, Feishu", KEY);
    expect(random).not.toBe(await encryptFeishu("你好, Feishu", KEY));
    expect(await decryptFeishu(random, KEY)).toBe("你好, Feishu");
  });

  it("computes the reference signature over the raw body", async () => {
    expect(await signature("1700000000", "1234567890", KEY, ENCRYPTED_CHALLENGE)).toBe(
      "6c0f6a23b0e7e3210c014ec641ab1abc0404b303257bd58682a046dd5e3ee5b4",
    );
  });

  it("computes the legacy SHA1 card signature", async () => {
    const sig = await legacyCardSignature("1700000000", "n", "tok", "{}");
    expect(sig).toMatch(/^[0-9a-f]{40}$/);
  });

  it("answers the encrypted reference challenge without signature headers", async () => {
    const payload = await verifyFeishuRequest({ headers: {}, rawBody: ENCRYPTED_CHALLENGE, settings });
    expect(payload).toEqual(JSON.parse(PLAIN_CHALLENGE));
  });

  it("accepts the reference signature inside the time window and rejects it outside", async () => {
    // The reference body is a challenge, so make a signed event with the same timestamp/nonce instead.
    const ev = await post(messageEvent(), { timestamp: 1700000000, nonce: "1234567890" });
    const headers = new Headers(ev.headers);
    const ok = await verifyFeishuRequest({ headers, rawBody: ev.body, settings, now: 1700000000_000 + 299_000 });
    expect((ok.header as Record<string, unknown>).event_type).toBe("im.message.receive_v1");
    expect(await rejects(verifyFeishuRequest({ headers, rawBody: ev.body, settings, now: 1700000000_000 + 301_000 }))).toBe("TIMESTAMP_STALE");
    expect(await rejects(verifyFeishuRequest({ headers, rawBody: ev.body, settings, now: 1700000000_000 - 301_000 }))).toBe("TIMESTAMP_STALE");
  });

  it("verifies the raw bytes, not re-serialised JSON", async () => {
    // Same JSON value, different bytes (whitespace): a signature over the original must not match.
    const ev = await post(messageEvent());
    const reformatted = JSON.stringify(JSON.parse(ev.body), null, 2);
    expect(await rejects(verifyFeishuRequest({ headers: ev.headers, rawBody: reformatted, settings }))).toBe("SIGNATURE_INVALID");
    // And a body whose raw bytes differ from JSON.stringify(JSON.parse(raw)) but are signed as sent passes.
    const escaped = await post(messageEvent(), { plain: true });
    const raw = escaped.body.replace("im.message.receive_v1", "im.message.receive\\u005fv1");
    const ts = escaped.headers["x-lark-request-timestamp"]!;
    const nonce = escaped.headers["x-lark-request-nonce"]!;
    const headers = { ...escaped.headers, "x-lark-signature": await signature(ts, nonce, KEY, raw) };
    const ok = await verifyFeishuRequest({ headers, rawBody: raw, settings });
    expect((ok.header as Record<string, unknown>).event_type).toBe("im.message.receive_v1");
  });

  it("rejects tampered, unsigned and wrongly-keyed requests", async () => {
    const ev = await post(cardActionEvent());
    expect(await rejects(verifyFeishuRequest({ headers: { ...ev.headers, "x-lark-signature": "0".repeat(64) }, rawBody: ev.body, settings }))).toBe(
      "SIGNATURE_INVALID",
    );
    expect(await rejects(verifyFeishuRequest({ headers: {}, rawBody: ev.body, settings }))).toBe("SIGNATURE_INVALID");
    expect(await rejects(verifyFeishuRequest({ headers: ev.headers, rawBody: ev.body, settings: { ...settings, encryptKey: "other-key" } }))).toMatch(
      /PAYLOAD_INVALID|SIGNATURE_INVALID/,
    );
  });

  it("checks the verification token in v2 header.token, v1 token and url_verification", async () => {
    // Signed plaintext (no encrypt envelope) with the right token is fine; a wrong header.token is not.
    const plainSigned = await post(messageEvent(), { plain: true });
    expect(await verifyFeishuRequest({ headers: plainSigned.headers, rawBody: plainSigned.body, settings })).toBeTruthy();
    const v2 = await post({ ...messageEvent(), header: { ...messageEvent().header, token: "wrong" } });
    expect(await rejects(verifyFeishuRequest({ headers: v2.headers, rawBody: v2.body, settings }))).toBe("TOKEN_INVALID");

    const noKey = { verificationToken: "test-verification-token" };
    const v1 = JSON.stringify({ uuid: "u1", token: "test-verification-token", ts: "1", type: "event_callback", event: { type: "message" } });
    expect((await verifyFeishuRequest({ headers: {}, rawBody: v1, settings: noKey })).type).toBe("event_callback");
    expect(await rejects(verifyFeishuRequest({ headers: {}, rawBody: v1.replace("test-verification-token", "nope"), settings: noKey }))).toBe(
      "TOKEN_INVALID",
    );

    const ch = await challengeRequest("c1", { token: "nope" });
    expect(await rejects(verifyFeishuRequest({ headers: ch.headers, rawBody: ch.body, settings }))).toBe("TOKEN_INVALID");
  });

  it("fails closed when neither an encrypt key nor a token is configured", async () => {
    const body = JSON.stringify(messageEvent());
    expect(await rejects(verifyFeishuRequest({ headers: {}, rawBody: body, settings: {} }))).toBe("TOKEN_INVALID");
  });

  it("rejects non-JSON and encrypted bodies without a key", async () => {
    expect(await rejects(verifyFeishuRequest({ headers: {}, rawBody: "not json", settings }))).toBe("PAYLOAD_INVALID");
    expect(await rejects(verifyFeishuRequest({ headers: {}, rawBody: "[1,2]", settings }))).toBe("PAYLOAD_INVALID");
    expect(await rejects(verifyFeishuRequest({ headers: {}, rawBody: ENCRYPTED_CHALLENGE, settings: { verificationToken: "x" } }))).toBe(
      "PAYLOAD_INVALID",
    );
    expect(await rejects(verifyFeishuRequest({ headers: {}, rawBody: '{"encrypt":"AAAA"}', settings }))).toBe("PAYLOAD_INVALID");
  });

  it("verifies legacy card callbacks with the SHA1 token signature", async () => {
    const ok = await legacyCardAction();
    expect((await verifyFeishuRequest({ headers: ok.headers, rawBody: ok.body, settings })).open_id).toBe("ou_handler");
    const bad = await legacyCardAction({}, { secrets: { verificationToken: "other" } });
    expect(await rejects(verifyFeishuRequest({ headers: bad.headers, rawBody: bad.body, settings }))).toBe("SIGNATURE_INVALID");
    const stale = await legacyCardAction({}, { timestamp: 1700000000 });
    expect(await rejects(verifyFeishuRequest({ headers: stale.headers, rawBody: stale.body, settings }))).toBe("TIMESTAMP_STALE");
    expect(TEST_SECRETS.verificationToken).toBe(settings.verificationToken);
  });
});
