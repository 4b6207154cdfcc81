// A name for this app process among the instances behind the load balancer (hostname:pid:random),
// used to key its published router view.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

const g = globalThis as typeof globalThis & { __instanceId?: string };

export function instanceId(): string {
  return (g.__instanceId ??= `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`);
}
