// A scripted OpenAI-compatible upstream for tool-loop edge cases the simulator's contract does not
// produce (a model that keeps calling tools, one that sends broken arguments). It streams in vLLM's
// delta format: the first tool-call delta carries index, id and name; argument fragments follow.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedRequest {
  messages: { role: string; content: string | null; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools?: { function: { name: string } }[];
}

/** What to answer: a tool call (name + raw argument text), or text. */
export type Answer = { call: { name: string; arguments: string } } | { text: string };

export async function scriptedUpstream(answer: (req: ScriptedRequest) => Answer) {
  const requests: ScriptedRequest[] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      // Health checks and model lists (the router's probes) get a plain answer.
      if (req.method !== "POST") return void res.writeHead(200, { "content-type": "application/json" }).end('{"data":[{"id":"scripted"}]}');
      const body = JSON.parse(raw) as ScriptedRequest;
      requests.push(body);
      const a = answer(body);
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunk = (delta: unknown, finish: string | null = null) =>
        res.write(`data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
      chunk({ role: "assistant", content: "" });
      if ("call" in a) {
        chunk({ tool_calls: [{ index: 0, id: `call_${requests.length}`, type: "function", function: { name: a.call.name, arguments: "" } }] });
        const half = Math.ceil(a.call.arguments.length / 2);
        for (const piece of [a.call.arguments.slice(0, half), a.call.arguments.slice(half)]) {
          if (piece) chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] });
        }
        chunk({}, "tool_calls");
      } else {
        chunk({ content: a.text });
        chunk({}, "stop");
      }
      res.write(`data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: 10, completion_tokens: 5 } })}\n\n`);
      res.end("data: [DONE]\n\n");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}
