import { mdMarkup } from "../../cards/safe-text.js";
import * as lark from "@larksuiteoapi/node-sdk";
import { describe, expect, it } from "vitest";
import { feishuWsHandlers, startFeishuWs } from "../../src/adapter/feishu/ws.js";
import type { FeishuSettings } from "../../src/config/env.js";
import type { InboundCardAction, InboundMessage } from "../../src/platform/inbound.js";
import type { EventSink } from "../../src/platform/sink.js";
import { checkFeishuCard } from "../support/feishu-card-rules.js";
import { APP_ID, BOT_OPEN_ID, cardActionEvent, groupMention } from "../support/feishu-events.js";

const settings: FeishuSettings = { appId: APP_ID, appSecret: "s", domain: "http://127.0.0.1:9", mode: "ws" };

function sink() {
  const accepted: InboundMessage[] = [];
  const actions: InboundCardAction[] = [];
  const s: EventSink = {
    accept: async (ev) => (accepted.push(ev), { duplicate: false }),
    cardAction: async (ev) => (
      actions.push(ev),
      { toast: { kind: "success", text: "ok" }, card: { header: { title: "T", color: "blue" }, blocks: [{ type: "markdown", text: mdMarkup("done") }], summary: "s" } }
    ),
  };
  return { s, accepted, actions };
}

/** Drive the handlers through a real EventDispatcher the way WSClient does: invoke(payload, {needCheck:false}). */
function dispatcherFor(s: EventSink) {
  const d = new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.error });
  d.register<Record<string, (data: Record<string, unknown>) => Promise<unknown>>>(feishuWsHandlers(settings, s, () => {}, { botOpenId: BOT_OPEN_ID }));
  return d;
}

describe("feishu long connection", () => {
  it("im.message.receive_v1 via the SDK dispatcher reaches the sink", async () => {
    const { s, accepted } = sink();
    await dispatcherFor(s).invoke(groupMention(undefined, { messageId: "om_ws1" }), { needCheck: false });
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ dedupeId: "om_ws1", text: "客户说系统报错无法登录 @Alice 请看看", mentionedBot: true });
  });

  it("card.action.trigger returns toast + raw card for the ACK frame", async () => {
    const { s, actions } = sink();
    const ev = cardActionEvent({ eventId: "ev_ws1", token: "c-ws1" });
    const result = (await dispatcherFor(s).invoke(ev, { needCheck: false })) as { toast: unknown; card: { type: string; data: unknown } };
    expect(actions[0]).toMatchObject({ dedupeId: "ev_ws1", cardRef: "om_card1", value: { action: "claim" } });
    expect(result.toast).toEqual({ type: "success", content: "ok" });
    expect(result.card.type).toBe("raw");
    expect(checkFeishuCard(result.card.data)).toEqual([]);
  });

  it("startFeishuWs starts the client with the dispatcher and the stop function closes it", async () => {
    const { s } = sink();
    const seen: { started?: unknown; closed?: unknown; params?: Record<string, unknown> } = {};
    const stop = startFeishuWs(settings, s, () => {}, {
      wsClientFactory: (params) => {
        seen.params = params as unknown as Record<string, unknown>;
        return {
          start: async (p) => void (seen.started = p.eventDispatcher),
          close: (p) => void (seen.closed = p ?? true),
        };
      },
    });
    expect(seen.params).toMatchObject({ appId: APP_ID, domain: settings.domain });
    expect(seen.started).toBeInstanceOf(lark.EventDispatcher);
    stop();
    expect(seen.closed).toEqual({ force: true });
  });
});
