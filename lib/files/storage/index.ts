// The configured store: S3 when S3_BUCKET is set, else local disk under FILES_DIR (DATA_DIR/files).
import path from "node:path";
import { env } from "@/lib/env";
import { LocalFileStore } from "./local";
import { S3FileStore } from "./s3";
import type { FileStore } from "./types";

export type { FileStore } from "./types";

let cached: FileStore | undefined;

export function fileStore(): FileStore {
  if (!cached) {
    const e = env();
    cached = e.S3_BUCKET
      ? new S3FileStore({
          endpoint: e.S3_ENDPOINT,
          bucket: e.S3_BUCKET,
          region: e.S3_REGION,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
        })
      // A configured directory outside the app: the build need not trace it (it would trace the whole project).
      : new LocalFileStore(path.resolve(/*turbopackIgnore: true*/ e.FILES_DIR ?? path.join(e.DATA_DIR, "files")));
  }
  return cached;
}

/** Tests point the store elsewhere. */
export function setFileStoreForTests(store: FileStore | undefined): void {
  cached = store;
}
