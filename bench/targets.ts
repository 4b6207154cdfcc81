// The two paths a stream can take, with identical inference settings:
//   direct  – POST /v1/chat/completions on the simulator, the messages the gateway would send;
//   gateway – POST /api/chat on the app as a signed-in user (full pipeline: auth, DB writes,
//             context, routing, relay, checkpoints, final save and usage event).
import { randomUUID } from "node:crypto";
import type { Target } from "./loadgen";
import type { BenchPrompt } from "./prompt";
import { SIM_MODEL } from "./config";

export function directTarget(simUrl: string, prompt: BenchPrompt, maxTokens: number): Target {
  const body = JSON.stringify({
    model: SIM_MODEL,
    messages: prompt.messages,
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: maxTokens,
  });
  return { kind: "direct", origin: simUrl, path: "/v1/chat/completions", headers: {}, body: () => body };
}

export function gatewayTarget(appUrl: string, cookie: string, prompt: BenchPrompt, model: string): Target {
  // Each stream is a new conversation (one live reply per conversation).
  const head = `{"model":${JSON.stringify(model)},"message":{"text":${JSON.stringify(prompt.text)},"id":"`;
  return {
    kind: "gateway",
    origin: appUrl,
    path: "/api/chat",
    headers: { cookie },
    body: () => `${head}${randomUUID()}"},"id":"${randomUUID()}"}`,
  };
}
