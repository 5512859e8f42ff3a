// DATABASE_URL "file:./data/chatdesk.db" (Prisma style) → a filesystem path; ":memory:" stays.
import path from "node:path";

export function sqlitePath(url: string): string {
  if (url === ":memory:" || url === "file::memory:") return ":memory:";
  if (!url.startsWith("file:")) throw new Error(`DATABASE_URL must be a SQLite file URL like file:./data/chatdesk.db (got "${url}")`);
  const p = url.slice("file:".length).replace(/^\/\/(?=\/)/, "").split("?")[0]!;
  return path.resolve(p);
}
