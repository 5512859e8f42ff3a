// Files of received robot messages: POST /v1.0/robot/messageFiles/download {downloadCode, robotCode} answers a
// short-lived downloadUrl, which is then read without a token
// (https://open.dingtalk.com/document/orgapp/download-the-file-content-of-the-robot-receiving-message).
import { dispositionName, readCapped } from "../../platform/download.js";
import type { AttachmentRef, Downloaded } from "../../platform/fetched.js";
import { PlatformError } from "../../platform/port.js";
import type { ApiOptions } from "./api.js";

/** A token-authenticated DingTalk call (the sender's `authed`). */
type Authed = <T>(what: string, method: string, path: string, body: unknown) => Promise<T>;

/** The whole file may take longer than one API call. */
const DOWNLOAD_TIMEOUT_MS = 60_000;

export function dingtalkDownload(api: ApiOptions, authed: Authed, robotCode: string): (ref: AttachmentRef, limit: number) => Promise<Downloaded> {
  return async (ref, limit) => {
    const r = await authed<{ downloadUrl?: unknown }>("messageFiles/download", "POST", "/v1.0/robot/messageFiles/download", { downloadCode: ref.fileKey, robotCode });
    if (typeof r.downloadUrl !== "string" || !/^https?:\/\//.test(r.downloadUrl)) throw new PlatformError("DingTalk messageFiles/download answered no downloadUrl", false);
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), Math.max(api.timeoutMs, DOWNLOAD_TIMEOUT_MS));
    try {
      const res = await api.fetch(r.downloadUrl, { signal: ctrl.signal });
      // The URL is short-lived: any refusal is worth another try, which asks for a fresh one.
      if (!res.ok || !res.body) throw new PlatformError(`DingTalk file download failed (HTTP ${res.status})`, true, res.status);
      const bytes = await readCapped(res.body, { contentLength: res.headers.get("content-length"), limit, abort: () => ctrl.abort() });
      return { bytes, contentType: res.headers.get("content-type") ?? undefined, name: dispositionName(res.headers.get("content-disposition")) };
    } catch (e) {
      if (e instanceof PlatformError) throw e;
      throw new PlatformError(`DingTalk file download ${ctrl.signal.aborted ? "timed out" : `network error: ${(e as Error).message}`}`, true);
    } finally {
      clearTimeout(timer);
    }
  };
}
