// The directory holding package.json (and prisma/migrations), found from this module's own file:
// the same answer from src/adapter/node (tsx, tests) and from the compiled bundle in dist/node.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export function projectRoot(from: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(from));
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "prisma"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no project root (package.json beside prisma/) above ${fileURLToPath(from)}`);
    dir = up;
  }
}
