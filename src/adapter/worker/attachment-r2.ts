// Attachments on Workers: objects in an R2 bucket bound as ATTACHMENTS (wrangler.toml [[r2_buckets]]),
// keyed <ticketNo>/<id>-<safe name> like the Node files. R2 rather than a D1 blob table: a D1 row is
// capped at 2 MB (https://developers.cloudflare.com/d1/platform/limits/), under the 10 MB a file may be;
// R2 takes objects up to 5 GB in one put (https://developers.cloudflare.com/r2/platform/limits/).
import type { AttachmentStorage } from "../../app/attachments/storage.js";

/** The slice of Cloudflare's R2Bucket binding used here (https://developers.cloudflare.com/r2/api/workers/workers-api-reference/). */
export interface R2BucketBinding {
  put(key: string, value: Uint8Array, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer>; httpMetadata?: { contentType?: string } } | null>;
}

export function attachmentR2(bucket: R2BucketBinding, name = "ATTACHMENTS"): AttachmentStorage {
  return {
    where: `R2 bucket ${name}`,
    async put(key, bytes, contentType) {
      await bucket.put(key, bytes, contentType ? { httpMetadata: { contentType } } : undefined);
    },
    async get(key) {
      const o = await bucket.get(key);
      return o ? { bytes: new Uint8Array(await o.arrayBuffer()), contentType: o.httpMetadata?.contentType } : undefined;
    },
  };
}
