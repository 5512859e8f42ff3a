// Attachments on Node: files under the data folder, next to the SQLite file —
// <dir of DATABASE_URL>/attachments/<ticketNo>/<id>-<safe name>. The content type is kept in the
// database row (Attachment.contentType), not beside the file.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { AttachmentStorage } from "../../app/attachments/storage.js";
import { ChatDeskError } from "../../core/errors.js";
import { sqlitePath } from "./sqlite-path.js";

/** The attachments folder for a DATABASE_URL; an in-memory database keeps them in a temp folder. */
export function attachmentsDir(databaseUrl: string): string {
  const file = sqlitePath(databaseUrl);
  return file === ":memory:" ? path.join(os.tmpdir(), `chatdesk-attachments-${process.pid}`) : path.join(path.dirname(file), "attachments");
}

export function attachmentFiles(root: string): AttachmentStorage {
  const resolve = (key: string) => {
    const p = path.resolve(root, key);
    // Keys are made by storageKeyOf (safe names); this keeps a bad one from ever leaving the folder.
    if (!p.startsWith(path.resolve(root) + path.sep)) throw new ChatDeskError("INVALID_INPUT", `attachment key outside the folder: ${key}`);
    return p;
  };
  return {
    where: `files under ${root}`,
    async put(key, bytes) {
      const p = resolve(key);
      await fs.mkdir(path.dirname(p), { recursive: true });
      // Write then rename: a crash mid-write never leaves a half file under the final name.
      const tmp = `${p}.${process.pid}.part`;
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, p);
    },
    async get(key) {
      try {
        return { bytes: new Uint8Array(await fs.readFile(resolve(key))) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw e;
      }
    },
  };
}
