// Structured logs (pino, one JSON object per line on stdout). Every line carries the request id and
// user id of the request it belongs to (lib/log/context.ts). What must never be written: credentials
// (cookies, authorization headers, passwords, tokens, API keys) and what users wrote or were sent
// (message text, prompts, content): the redact paths below replace them wherever a caller passes them
// by mistake, and errors go through serializeError, which drops query parameters.
import pino, { type DestinationStream, type Logger } from "pino";
import { env } from "@/lib/env";
import { requestContext } from "./context";
import { serializeError } from "./serialize";
import { processSet, processShared } from "@/lib/process-registry";

declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    logger: Logger;
  }
}

const SECRET_KEYS = ["authorization", "cookie", "set-cookie", "password", "passwordHash", "token", "apiKey", "api_key", "secret", "key"];
const TEXT_KEYS = ["content", "text", "prompt", "messages", "message_text", "body", "input", "output", "system_prompt", "systemPrompt"];

/** Paths at the top level and up to two levels down (pino's redact wildcards match one level each). */
export const REDACT_PATHS = [...SECRET_KEYS, ...TEXT_KEYS].flatMap((k) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
  const dot = key.startsWith("[") ? key : `.${key}`;
  return [key, `*${dot}`, `*.*${dot}`];
});

export function createLogger(destination?: DestinationStream, level: string = env().LOG_LEVEL): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      serializers: { err: serializeError, error: serializeError },
      mixin() {
        const ctx = requestContext();
        return ctx ? { request_id: ctx.requestId, ...(ctx.userId ? { user_id: ctx.userId } : {}) } : {};
      },
    },
    // Synchronous writes to stdout: a line per request is cheap, and nothing is lost when the process dies.
    destination ?? pino.destination(1),
  );
}

// One logger per process (both module graphs of the app server share it).

export function log(): Logger {
  return processShared("logger", () => createLogger());
}

/** Tests: send the process logger's lines (info and up, whatever LOG_LEVEL says) to this stream instead of stdout. */
export function setLogDestinationForTests(destination: DestinationStream): void {
  processSet("logger", createLogger(destination, "info"));
}
