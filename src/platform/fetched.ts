// Message content as ChatDesk reads it: attachments of an inbound message, and a message read back from
// the platform (a reacted message, a thread's root, a quoted message).

export interface InboundAttachment {
  kind: "image" | "file" | "audio" | "video";
  fileKey: string;
  name?: string;
  size?: number;
}

/** A message read back from the platform (Feishu GET /open-apis/im/v1/messages/:message_id) or carried inline. */
export interface FetchedMessage {
  messageId: string;
  chatId?: string;
  /** Author's platform user id (Feishu open_id); undefined when an app sent it. */
  senderId?: string;
  senderName?: string;
  fromApp?: boolean;
  text: string;
  attachments: InboundAttachment[];
  rootId?: string;
  parentId?: string;
}
