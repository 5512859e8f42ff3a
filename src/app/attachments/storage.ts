// Where downloaded attachments are kept: a port the runtimes implement (Node: files under the data folder,
// src/adapter/node/attachment-files.ts; Worker: an R2 bucket, src/adapter/worker/attachment-r2.ts).

export interface StoredFile {
  bytes: Uint8Array;
  contentType?: string;
}

export interface AttachmentStorage {
  /** Where this storage is, for the logs ("files under /data/attachments", "R2 bucket ATTACHMENTS"). */
  readonly where: string;
  /** Write (or overwrite) the object at `key`. */
  put(key: string, bytes: Uint8Array, contentType?: string): Promise<void>;
  /** The object at `key`; undefined when there is none. */
  get(key: string): Promise<StoredFile | undefined>;
}

/** A name safe as one path segment / object key part: no separators, dots-only, controls or odd characters; ≤ 80 characters. */
export function safeFileName(name: string | null | undefined, fallback: string): string {
  const cleaned = (name ?? "")
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, "_")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  const kept = [...cleaned].slice(-80).join(""); // keep the extension when cutting
  return kept && kept !== "." ? kept : fallback;
}

/** `<ticketNo>/<id>-<safe name>`: the key inside the storage (a relative path on Node). */
export const storageKeyOf = (ticketNumber: string, id: number, name: string) => `${safeFileName(ticketNumber, "ticket")}/${id}-${name}`;
