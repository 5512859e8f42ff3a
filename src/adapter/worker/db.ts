// The Worker's store: the workerd-flavoured Prisma client (wasm query compiler) on a D1 binding.
// Its models are generated from the same schema as the Node client, so it serves the same store code.
import { PrismaD1 } from "@prisma/adapter-d1";
import { PrismaClient } from "../../generated/prisma-worker/client.js";
import type { Db } from "../../store/db.js";
import type { D1Binding } from "./bindings.js";

export function createD1Db(binding: D1Binding): Db {
  // Two generated copies of one schema: structurally the same client, nominally distinct classes.
  return new PrismaClient({ adapter: new PrismaD1(binding) }) as unknown as Db;
}
