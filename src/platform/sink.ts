// The one event path both platforms' receivers (webhook and long connection) feed.
import type { Card } from "../../cards/model.js";
import type { InboundCardAction, InboundMessage } from "./inbound.js";

export interface CardActionReply {
  toast: { kind: "success" | "info" | "warning" | "error"; text: string };
  /** The card as it should look now (for the clicker's immediate in-place update). */
  card?: Card;
}

export interface EventSink {
  /**
   * Persist a message event (idempotent on platform+dedupeId) and schedule its processing.
   * Resolves once the event is durably stored, so the receiver can acknowledge.
   */
  accept(ev: InboundMessage): Promise<{ duplicate: boolean }>;
  /** Card actions are answered synchronously (Feishu 3 s, DingTalk 2 s): toast + current card. */
  cardAction(ev: InboundCardAction): Promise<CardActionReply>;
}
