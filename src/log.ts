// Structured JSON logs, one line per record, on any runtime (Node or Worker): console is the
// only sink both have, so a 30-line logger beats a Node-only library here.
export type Level = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const errorFields = (v: unknown) =>
  v instanceof Error ? { name: v.name, message: v.message, code: (v as { code?: unknown }).code, stack: v.stack?.split("\n").slice(0, 5).join("\n") } : v;

export function createLogger(level: Level = "info", base: Record<string, unknown> = {}, write: (line: string) => void = (l) => console.log(l)): Logger {
  const emit = (lvl: Exclude<Level, "silent">, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const rec: Record<string, unknown> = { time: new Date().toISOString(), level: lvl, msg, ...base };
    for (const [k, v] of Object.entries(fields ?? {})) rec[k] = errorFields(v);
    write(JSON.stringify(rec));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (f) => createLogger(level, { ...base, ...f }, write),
  };
}
