// Files on local disk under FILES_DIR: one file per key, written to a temporary name and renamed,
// so a reader never sees half an object.
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { assertKey, type FileStore } from "./types";

export class LocalFileStore implements FileStore {
  readonly kind = "local" as const;
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    assertKey(key);
    return path.join(this.root, ...key.split("/"));
  }

  private async writeAtomically(key: string, write: (tmp: string) => Promise<void>): Promise<void> {
    const dest = this.pathOf(key);
    await fs.mkdir(path.dirname(dest), { recursive: true });
    const tmp = `${dest}.${process.pid}.${Date.now()}.tmp`;
    try {
      await write(tmp);
      await fs.rename(tmp, dest);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }

  putFile(key: string, sourcePath: string): Promise<void> {
    return this.writeAtomically(key, (tmp) => fs.copyFile(sourcePath, tmp));
  }

  putBytes(key: string, data: Buffer): Promise<void> {
    return this.writeAtomically(key, (tmp) => fs.writeFile(tmp, data));
  }

  async getBytes(key: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(this.pathOf(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }

  async getStream(key: string): Promise<Readable | null> {
    const p = this.pathOf(key);
    try {
      await fs.access(p);
    } catch {
      return null;
    }
    return createReadStream(p);
  }

  async has(key: string): Promise<boolean> {
    try {
      await fs.access(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }
}
