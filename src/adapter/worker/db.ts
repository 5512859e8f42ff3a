// The Worker's store: the workerd-flavoured Prisma client (wasm query compiler) on a D1 binding.
// Its models are generated from the same schema as the Node client, so it serves the same store code.
import { PrismaD1 } from "@prisma/adapter-d1";
import { PrismaClient } from "../../generated/prisma-worker/client.js";
import type { Db } from "../../store/db.js";
import type { D1Binding } from "./bindings.js";

export function createD1Db(binding: D1Binding): Db {
  // Two generated copies of one schema: structurally the same client, nominally distinct classes.
  return withoutInteractiveTransactions(new PrismaClient({ adapter: new PrismaD1(binding) }) as unknown as Db);
}

/**
 * D1 has no interactive transactions and Prisma's client refuses them there
 * (https://pris.ly/d/d1-transactions); a batch `$transaction([...])` already runs as separate statements.
 * So a body given to `$transaction` (store/db.ts inTransaction) runs on the client itself, its
 * statements one by one in order — the store orders them so that redoing the work is safe.
 */
function withoutInteractiveTransactions(client: Db): Db {
  const $transaction = (arg: unknown, opts?: unknown) =>
    typeof arg === "function" ? (arg as (tx: Db) => Promise<unknown>)(client) : (client.$transaction as (a: unknown, o?: unknown) => Promise<unknown>)(arg, opts);
  return new Proxy(client, {
    get(target, prop) {
      if (prop === "$transaction") return $transaction;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
