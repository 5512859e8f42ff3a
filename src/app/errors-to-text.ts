// Domain errors → short user-facing text (toasts and chat replies) in the user's locale.
import { fmt, messages } from "../../cards/i18n/index.js";
import { isChatDeskError } from "../core/errors.js";
import type { Locale, Role, Status } from "../core/types.js";

export function errorText(e: unknown, locale: Locale, action = ""): { kind: "warning" | "error"; text: string } {
  const m = messages(locale);
  const actionLabel = m.toast.actionVerb[action] ?? (m.action as Record<string, string>)[action] ?? action;
  if (!isChatDeskError(e)) return { kind: "error", text: m.toast.error };
  switch (e.code) {
    case "FORBIDDEN": {
      const needs = ((e.details?.needs as Role[] | undefined) ?? []).map((r) => m.role[r] ?? r).join(" / ");
      return { kind: "warning", text: fmt(m.toast.forbidden, { action: actionLabel, roles: needs }) };
    }
    case "ILLEGAL_TRANSITION":
      if (typeof e.details?.waiting === "boolean") return { kind: "warning", text: e.details.waiting ? m.toast.alreadyWaiting : m.toast.notWaiting };
      if (typeof e.details?.blocked === "boolean") return { kind: "warning", text: e.details.blocked ? m.toast.alreadyBlocked : m.toast.notBlocked };
      return { kind: "warning", text: fmt(m.toast.illegal, { status: m.status[(e.details?.status as Status) ?? "open"], action: actionLabel }) };
    case "CONFLICT":
      return { kind: "warning", text: m.toast.conflict };
    case "NOT_FOUND":
      return { kind: "warning", text: fmt(m.toast.notFound, { number: String(e.details?.number ?? "") }) };
    case "INVALID_INPUT":
      return { kind: "warning", text: fmt(m.toast.invalid, { message: e.message }) };
    default:
      return { kind: "error", text: m.toast.error };
  }
}
