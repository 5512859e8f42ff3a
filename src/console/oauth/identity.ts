// Who a platform says signed in: the user id ChatDesk's people config uses for that platform
// (Feishu open_id, DingTalk userId/staffId) and a display name.
export interface PlatformIdentity {
  platform: "feishu" | "dingtalk";
  userId: string;
  name: string;
}

/** The platform refused the code or answered something unusable; the message is safe to show. */
export class SignInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SignInError";
  }
}

const TIMEOUT_MS = 10_000;

/** JSON over fetch with a timeout; any network or decoding failure becomes a SignInError. */
export async function fetchJson(what: string, url: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    throw new SignInError(`${what}: ${(e as Error).name === "TimeoutError" ? "timed out" : "unreachable"}`);
  }
  const text = await res.text();
  try {
    const body = text ? (JSON.parse(text) as unknown) : {};
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not an object");
    return { status: res.status, body: body as Record<string, unknown> };
  } catch {
    throw new SignInError(`${what}: unexpected answer (HTTP ${res.status})`);
  }
}

export const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
