// Both file stores through one interface: local disk, and S3 against a real S3-compatible server
// (s3rver, started here on a free port) — streamed uploads must arrive byte for byte, without
// aws-chunked framing in the stored object.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalFileStore } from "@/lib/files/storage/local";
import { S3FileStore } from "@/lib/files/storage/s3";
import type { FileStore } from "@/lib/files/storage/types";

const root = await fs.mkdtemp(path.join(os.tmpdir(), "files-store-"));
let s3: S3rver;
let s3Store: S3FileStore;

beforeAll(async () => {
  s3 = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: path.join(root, "s3"), configureBuckets: [{ name: "chatgate-test", configs: [] }] });
  const addr = (await s3.run()) as AddressInfo;
  s3Store = new S3FileStore({ endpoint: `http://127.0.0.1:${addr.port}`, bucket: "chatgate-test", region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER" });
});
afterAll(async () => {
  await s3?.close();
  await fs.rm(root, { recursive: true, force: true });
});

const stores: [string, () => FileStore][] = [
  ["local disk", () => new LocalFileStore(path.join(root, "local"))],
  ["S3 (s3rver)", () => s3Store],
];

describe.each(stores)("%s store", (_name, store) => {
  it("stores a streamed file byte for byte, reads it back whole and as a stream, deletes it", async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
    const src = path.join(root, `src-${Math.random()}`);
    await fs.writeFile(src, data);
    const key = `u/${createHash("sha256").update(String(Math.random())).digest("hex").slice(0, 8)}/abc123`;
    await store().putFile(key, src, data.length, "application/pdf");
    const back = await store().getBytes(key);
    expect(back?.length).toBe(data.length);
    expect(createHash("sha256").update(back!).digest("hex")).toBe(createHash("sha256").update(data).digest("hex"));
    const chunks: Buffer[] = [];
    for await (const c of (await store().getStream(key))!) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);

    await store().putBytes(`${key}-b`, Buffer.from("small"), "text/plain");
    expect((await store().getBytes(`${key}-b`))?.toString()).toBe("small");

    await store().delete(key);
    expect(await store().getBytes(key)).toBeNull();
    expect(await store().getStream(key)).toBeNull();
    await store().delete(key); // again: not an error
  });

  it("refuses keys that are not server-made", async () => {
    await expect(store().putBytes("../etc/passwd", Buffer.from("x"), "text/plain")).rejects.toThrow(/invalid storage key/);
    await expect(store().getBytes("u/Report Q1.pdf")).rejects.toThrow(/invalid storage key/);
  });
});
