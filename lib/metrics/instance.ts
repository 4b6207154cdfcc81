// A name for this app process among the instances behind the load balancer (hostname:pid:random),
// used to key its published router view.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { processShared } from "@/lib/process-registry";

declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    instanceId: string;
  }
}


export function instanceId(): string {
  return processShared("instanceId", () => `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`);
}
