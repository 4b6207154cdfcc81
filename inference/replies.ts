// Reply generators per model mode (DESIGN §3). A reply is tokenized once, up front, into the pieces
// that will be streamed; the engine only counts tokens and the wire layer only formats pieces.
import { createHash } from "node:crypto";
import type { SimModelConfig } from "./config";
import { guardReply } from "./guard";
import { lastUserText, messageText, type ChatRequest, type ChatTool } from "./request";
import { generateText, hashString, rng, tokenize } from "./text-reply";
import { contractCall } from "./tool-contract";
import type { FinishReason } from "./wire";

export interface Reply {
  /** Content tokens; for a tool call, index 0 is the call header ("") and the rest are argument pieces. */
  pieces: string[];
  toolCall: { id: string; name: string } | null;
  finishReason: FinishReason;
}

export function buildReply(req: ChatRequest, model: SimModelConfig, maxTokens: number): Reply {
  if (model.mode === "echo") return { pieces: echoPieces(req), toolCall: null, finishReason: "stop" };
  if (model.mode === "guard") return { pieces: tokenize(guardReply(req)), toolCall: null, finishReason: "stop" };
  const rand = rng(req.seed ?? hashString(JSON.stringify(req.messages)));
  const call = contractCall(req);
  if (call) return callReply(call.name, call.args, rand, maxTokens);
  if (model.mode === "tools") {
    const tool = chooseTool(req);
    if (tool) return toolReply(tool, lastUserText(req), rand, maxTokens);
  }
  return textReply(req, rand, maxTokens);
}

function limit(pieces: string[], maxTokens: number, reason: FinishReason): Reply["finishReason"] {
  if (pieces.length <= maxTokens) return reason;
  pieces.length = maxTokens;
  return "length";
}

/**
 * Utility requests (a system message starting "Title this conversation", as the gateway's) get a plausible title made of
 * the user's first words, so products that auto-title chats show something sensible on the simulator.
 */
function titleReply(req: ChatRequest): string | null {
  const system = req.messages.find((m) => m.role === "system");
  if (!system || !/^Title this conversation/.test(messageText(system))) return null;
  const words = lastUserText(req).replace(/[^\p{L}\p{N}\s'-]+/gu, " ").split(/\s+/).filter(Boolean).slice(0, 6);
  if (!words.length) return "New chat";
  return words.map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w)).join(" ");
}

/**
 * A system message carrying a safety instruction (the gateway's safe completion for a self-harm turn
 * begins "Safety instruction:") is followed the way an aligned model would: a short, caring answer
 * that points to help, instead of filler text built from the user's words, which would read as if
 * the simulator were going along with them.
 */
function safetyReply(req: ChatRequest): string | null {
  const followed = req.messages.some((m) => m.role === "system" && /(^|\n)Safety instruction:/.test(messageText(m)));
  if (!followed) return null;
  return (
    "I'm really sorry you're feeling this way, and I'm glad you told me. You don't have to go through this alone. " +
    "Please reach out to someone you trust, or to a crisis line: in the US you can call or text 988, in the UK and Ireland " +
    "Samaritans are on 116 123, and findahelpline.com lists lines elsewhere. If you are in danger right now, call your local " +
    "emergency number.\n\nAre you safe right now? I'm here to listen if you want to tell me what's been happening."
  );
}

function textReply(req: ChatRequest, rand: () => number, maxTokens: number): Reply {
  let text = titleReply(req) ?? safetyReply(req) ?? generateText(lastUserText(req), rand, 60 + Math.floor(rand() * 191));
  const last = req.messages[req.messages.length - 1];
  if (last.role === "tool") {
    const result = messageText(last).replace(/\s+/g, " ").trim();
    text = `The tool returned: ${result.length > 160 ? result.slice(0, 160) + "…" : result}\n\n${text}`;
  }
  // A stop string ends the reply just before it (the stop string itself is not sent), as vLLM does.
  const stops = typeof req.stop === "string" ? [req.stop] : (req.stop ?? []);
  for (const stop of stops) {
    const at = stop ? text.indexOf(stop) : -1;
    if (at >= 0) text = text.slice(0, at);
  }
  const pieces = tokenize(text);
  return { pieces, toolCall: null, finishReason: limit(pieces, maxTokens, "stop") };
}

/** What echo mode describes: the model, the sampling params and every message as received. */
export function echoObject(req: ChatRequest): Record<string, unknown> {
  const params: Record<string, unknown> = {
    temperature: req.temperature ?? null,
    max_tokens: req.max_completion_tokens ?? req.max_tokens ?? null,
    seed: req.seed ?? null,
    stop: req.stop ?? null,
  };
  if (req.tools) params.tools = req.tools.map((t) => t.function.name);
  if (req.tool_choice != null) params.tool_choice = req.tool_choice;
  const messages = req.messages.map((m) => {
    const out: Record<string, unknown> = { role: m.role, content: Array.isArray(m.content) ? m.content.map(echoPart) : (m.content ?? null) };
    if (m.name !== undefined) out.name = m.name;
    if (m.tool_calls !== undefined) out.tool_calls = m.tool_calls;
    if (m.tool_call_id !== undefined) out.tool_call_id = m.tool_call_id;
    return out;
  });
  return { model: req.model, params, messages };
}

/** An image part as received, its data URL shortened (media type, length, digest): the echo stays small. */
function echoPart(part: Record<string, unknown> & { type: string }): Record<string, unknown> {
  const url = (part.image_url as { url?: unknown } | undefined)?.url;
  if (part.type !== "image_url" || typeof url !== "string" || !url.startsWith("data:")) return part;
  const comma = url.indexOf(",");
  const digest = createHash("sha256").update(url).digest("hex").slice(0, 12);
  return { ...part, image_url: { ...(part.image_url as object), url: `${url.slice(0, comma + 1)}…(${url.length - comma - 1} chars, sha256 ${digest})` } };
}

/** Largest number of pieces an echo is cut into; longer echoes get longer pieces so they stay quick. */
const MAX_ECHO_PIECES = 512;

/**
 * Echo replies are diagnostic: always the complete JSON (max_tokens and stop are recorded in `params`
 * but never cut it), in pieces of 4–8 characters, never splitting a surrogate pair.
 */
function echoPieces(req: ChatRequest): string[] {
  const json = JSON.stringify(echoObject(req));
  const rand = rng(hashString(json));
  const scale = Math.max(1, Math.ceil(json.length / 6 / MAX_ECHO_PIECES));
  const pieces: string[] = [];
  let i = 0;
  while (i < json.length) {
    let end = Math.min(json.length, i + (4 + Math.floor(rand() * 5)) * scale);
    const code = json.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff && end < json.length) end++;
    pieces.push(json.slice(i, end));
    i = end;
  }
  return pieces;
}

/** The tool the model "decides" to call, or null to answer in text. */
function chooseTool(req: ChatRequest): ChatTool | null {
  const tools = req.tools;
  const choice = req.tool_choice;
  if (!tools?.length || choice === "none") return null;
  if (req.messages[req.messages.length - 1].role !== "user") return null;
  if (typeof choice === "object" && choice) return tools.find((t) => t.function.name === choice.function.name) ?? null;
  const text = lastUserText(req).toLowerCase();
  const named = tools.find((t) => {
    const name = t.function.name.toLowerCase();
    return text.includes(name) || text.includes(name.replace(/[_-]+/g, " "));
  });
  if (named) return named;
  const asked = /\buse (?:the |a |an )?([\w-]+) tool\b/.exec(text)?.[1];
  const byWord = asked ? tools.find((t) => t.function.name.toLowerCase().includes(asked)) : undefined;
  return byWord ?? (choice === "required" ? tools[0] : null);
}

/** The phrase a tool call is about: the words after the last "for/about/in/of/on", else the message. */
function subjectOf(text: string, toolName: string): string {
  const clean = text
    .replace(/\[\[sim:[^\]]*\]\]/g, " ")
    .replace(/\buse (?:the |a |an )?[\w-]+ tool\b/gi, " ")
    .split(toolName)
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
  const matches = [...clean.matchAll(/\b(?:for|about|in|of|on)\s+([^.?!,;]+)/gi)];
  const subject = (matches.at(-1)?.[1] ?? clean).trim();
  return subject.length > 200 ? subject.slice(0, 200) : subject;
}

interface JsonSchemaProp {
  type?: string;
  enum?: unknown[];
}

function toolArguments(tool: ChatTool, userText: string): Record<string, unknown> {
  const params = tool.function.parameters ?? {};
  const props = (params.properties ?? {}) as Record<string, JsonSchemaProp>;
  const required = Array.isArray(params.required) ? (params.required as string[]) : [];
  const keys = (required.length ? required : Object.keys(props)).slice(0, 6);
  const args: Record<string, unknown> = {};
  for (const key of keys) {
    const prop = props[key] ?? {};
    if (prop.enum?.length) args[key] = prop.enum[0];
    else if (prop.type === "number" || prop.type === "integer") args[key] = Number(/\d+/.exec(userText)?.[0] ?? 1);
    else if (prop.type === "boolean") args[key] = true;
    else if (prop.type === "array") args[key] = [];
    else if (prop.type === "object") args[key] = {};
    else args[key] = subjectOf(userText, tool.function.name);
  }
  return args;
}

function toolReply(tool: ChatTool, userText: string, rand: () => number, maxTokens: number): Reply {
  return callReply(tool.function.name, toolArguments(tool, userText), rand, maxTokens);
}

/** A tool call: a header piece (id and name), then the JSON arguments split over several pieces. */
function callReply(name: string, args: Record<string, unknown>, rand: () => number, maxTokens: number): Reply {
  const id = "chatcmpl-tool-" + Math.floor(rand() * 2 ** 48).toString(16).padStart(12, "0");
  const pieces = ["", ...tokenize(JSON.stringify(args))];
  return { pieces, toolCall: { id, name }, finishReason: limit(pieces, maxTokens, "tool_calls") };
}
