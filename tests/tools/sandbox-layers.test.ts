// Each layer of the code interpreter's sandbox on its own, with a control run that shows the
// probe would succeed without it — so a layer that silently stopped working fails here even if
// another layer still hides it in python-sandbox.test.ts.
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeIsolation } from "@/lib/tools/python/isolation";

const iso = probeIsolation();
let server: net.Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  server = net.createServer((s) => {
    connections++;
    s.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));

/** Runs `node [flags] -e script`, optionally inside the isolation prefix; resolves its exit code and stdout. */
function node(script: string, opts: { isolated: boolean; flags?: string[]; env?: NodeJS.ProcessEnv }): Promise<{ code: number | null; out: string }> {
  const prefix = opts.isolated && iso.ok ? iso.prefix : [];
  const argv = [...prefix, process.execPath, ...(opts.flags ?? []), "-e", script];
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { env: opts.env ?? ({} as NodeJS.ProcessEnv), stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

const CONNECT = (p: number) =>
  `require("net").connect(${p}, "127.0.0.1").on("connect", () => process.exit(0)).on("error", () => process.exit(3)); setTimeout(() => process.exit(4), 3000)`;

describe.runIf(iso.ok)("sandbox layers", () => {
  it("the network namespace alone stops a connection to the host's loopback", async () => {
    const control = await node(CONNECT(port), { isolated: false });
    expect(control.code).toBe(0);
    const before = connections;
    const isolated = await node(CONNECT(port), { isolated: true });
    expect(isolated.code).not.toBe(0);
    expect(connections).toBe(before);
  });

  it("the permission model alone stops reading the app's files and spawning processes", async () => {
    if (!iso.ok) return;
    const pkg = path.join(process.cwd(), "package.json");
    const read = `try { require("fs").readFileSync(${JSON.stringify(pkg)}); console.log("read") } catch (e) { console.log(e.code) }`;
    expect((await node(read, { isolated: false })).out.trim()).toBe("read");
    const flags = [iso.permissionFlag, `--allow-fs-read=${path.join(process.cwd(), "node_modules/pyodide")}`, "--no-warnings"];
    expect((await node(read, { isolated: true, flags })).out.trim()).toBe("ERR_ACCESS_DENIED");
    const passwd = `try { require("fs").readFileSync("/etc/passwd"); console.log("read") } catch (e) { console.log(e.code) }`;
    expect((await node(passwd, { isolated: true, flags })).out.trim()).toBe("ERR_ACCESS_DENIED");
    const exec = `try { require("child_process").execSync("true"); console.log("ran") } catch (e) { console.log(e.code) }`;
    expect((await node(exec, { isolated: true, flags })).out.trim()).toBe("ERR_ACCESS_DENIED");
  });

  it("code generation from strings is off, which is what defeats the Function-constructor escape", async () => {
    const escape = `try { console.log(typeof Function.prototype.constructor("return globalThis.process")()) } catch (e) { console.log(e.name) }`;
    expect((await node(escape, { isolated: false })).out.trim()).toBe("object");
    expect((await node(escape, { isolated: true, flags: ["--disallow-code-generation-from-strings"] })).out.trim()).toBe("EvalError");
  });
});
