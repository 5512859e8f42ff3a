// What an outbox row asks the sender to do: the payloads notify.ts writes and deliver.ts carries out. On
// their own so the two modules do not import each other.
import type { Card } from "../../cards/model.js";
import type { SendOptions } from "../platform/port.js";

export interface SendCardPayload {
  op: "send_card";
  chatId: string;
  card: Card;
  opts?: SendOptions;
  /** A ticket card: its delivery is recorded as a CardRef so later changes patch it. */
  ticketCard?: boolean;
  ticketVersion?: number;
  /** After it is sent, ring these users with the platform's urgent notification, where the app has one. */
  urgent?: string[];
}
export interface UpdateCardPayload {
  op: "update_card";
  ref: string;
  card: Card;
  ticketVersion?: number;
}
export interface SendTextPayload {
  op: "send_text";
  chatId: string;
  text: string;
  opts?: SendOptions;
}
export interface UrgentPayload {
  op: "urgent";
  ref: string;
  userIds: string[];
}
/** Download one attachment through the platform's resource API and store it (attachments/download.ts). */
export interface DownloadPayload {
  op: "download";
  attachmentId: number;
}
export type OutboundPayload = SendCardPayload | UpdateCardPayload | SendTextPayload | UrgentPayload | DownloadPayload;
