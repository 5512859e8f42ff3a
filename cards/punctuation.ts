// Chinese text takes full-width brackets, colons and the list comma 、; English the ASCII ones with a space.
import type { Locale } from "../src/core/types.js";

/** "（x）" in Chinese, " (x)" in English. */
export const par = (locale: Locale, s: string): string => (locale === "en" ? ` (${s})` : `（${s}）`);

/** The colon after a label: "：" in Chinese, ": " in English. */
export const colon = (locale: Locale): string => (locale === "en" ? ": " : "：");

/** Between the items of a list: "、" in Chinese, ", " in English. */
export const listSep = (locale: Locale): string => (locale === "en" ? ", " : "、");
