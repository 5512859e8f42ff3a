// Message content as ChatDesk reads it: attachments of an inbound message, and a message read back from
// the platform (a reacted message, a thread's root, a quoted message).

export interface InboundAttachment {
  kind: "image" | "file" | "audio" | "video";
  fileKey: string;
  name?: string;
  size?: number;
  /** The message carrying it, when that is not the one the ticket is made from (a thread's root, a reacted or quoted message). */
  messageId?: string;
}

/** One resource of a platform message (Feishu message_id + file_key; DingTalk downloadCode). */
export interface AttachmentRef {
  kind: "image" | "file" | "audio" | "video";
  fileKey: string;
  /** The message that carries it (Feishu's resource API needs it). */
  messageId?: string;
}

export interface Downloaded {
  bytes: Uint8Array;
  /** As the platform declared it (Content-Type), when it did. */
  contentType?: string;
  /** The file name the platform declared (Content-Disposition), when it did. */
  name?: string;
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
