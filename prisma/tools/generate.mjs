#!/usr/bin/env node
// `npm run generate` (also run by `npm install`): prisma generate on any OS, offline.
// Every Prisma 7 CLI command first makes sure a native schema-engine binary exists and tries to download it;
// `generate` never runs it, so pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file is enough. We use
// this Node executable, which exists on every platform (an env prefix like `VAR=… cmd` in an npm script does
// not work on Windows). Only for this command: `prisma migrate` would try to run that file as the engine.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath };
const r = spawnSync(process.execPath, [cli, "generate", "--schema", "prisma/schema.prisma", ...process.argv.slice(2)], { stdio: "inherit", env });
process.exit(r.status ?? 1);
