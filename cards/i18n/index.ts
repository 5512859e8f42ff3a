import type { Locale } from "../../src/core/types.js";
import { en } from "./en.js";
import { zhCN, type Messages } from "./zh-CN.js";

export type { Messages };
export const messages = (locale: Locale): Messages => (locale === "en" ? en : zhCN);

/** Fill {placeholders}. */
export const fmt = (template: string, vars: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (_, k: string) => (k in vars ? String(vars[k]) : `{${k}}`));
