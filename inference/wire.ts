// OpenAI / vLLM wire format. Every per-request constant part of a chunk is built once, so a token
// costs one JSON.stringify of its text and one string concatenation.
//
// Stream shape (as vLLM sends it):
//   data: {"id":"chatcmpl-…","object":"chat.completion.chunk","created":…,"model":…,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}
//   data: {… "delta":{"content":"Hello"} …}                 one per token
//   data: {… "delta":{},"logprobs":null,"finish_reason":"stop"}]}
//   data: {… "choices":[],"usage":{…}}                       only with stream_options.include_usage
//   data: [DONE]

export type FinishReason = "stop" | "length" | "tool_calls";

export const DONE_FRAME = "data: [DONE]\n\n";
const CHOICE_TAIL = ',"logprobs":null,"finish_reason":null}]}\n\n';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export const usage = (prompt: number, completion: number): Usage => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});

/** Pre-built chunk strings for one streamed completion. */
export class ChunkWriter {
  private readonly head: string;
  private readonly contentHead: string;
  private readonly toolArgsHead: string;

  constructor(
    readonly id: string,
    readonly created: number,
    readonly model: string,
  ) {
    this.head = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"choices":`;
    this.contentHead = `${this.head}[{"index":0,"delta":{"content":`;
    this.toolArgsHead = `${this.head}[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":`;
  }

  role(): string {
    return `${this.head}[{"index":0,"delta":{"role":"assistant","content":""}${CHOICE_TAIL}`;
  }

  content(piece: string): string {
    return this.contentHead + JSON.stringify(piece) + "}" + CHOICE_TAIL;
  }

  /** First tool-call delta: id, type and name, empty arguments. */
  toolCall(callId: string, name: string): string {
    const call = { index: 0, id: callId, type: "function", function: { name, arguments: "" } };
    return `${this.head}[{"index":0,"delta":{"tool_calls":[${JSON.stringify(call)}]}${CHOICE_TAIL}`;
  }

  toolArgs(piece: string): string {
    return this.toolArgsHead + JSON.stringify(piece) + "}}]}" + CHOICE_TAIL;
  }

  finish(reason: FinishReason): string {
    return `${this.head}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"${reason}"}]}\n\n`;
  }

  usage(prompt: number, completion: number): string {
    return `${this.head}[],"usage":${JSON.stringify(usage(prompt, completion))}}\n\n`;
  }
}

/** vLLM's error type names by status. */
export function errorType(status: number): string {
  const types: Record<number, string> = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    408: "TimeoutError",
    413: "RequestEntityTooLargeError",
    429: "RateLimitError",
    500: "InternalServerError",
    502: "BadGatewayError",
    503: "ServiceUnavailableError",
    504: "GatewayTimeoutError",
  };
  return types[status] ?? (status >= 500 ? "InternalServerError" : "BadRequestError");
}

/** `{"error":{"message","type","param","code"}}` as vLLM sends it (integer code by default). */
export function errorJson(status: number, message: string, code: number | string = status): string {
  return JSON.stringify({ error: { message, type: errorType(status), param: null, code } });
}

/** The mid-stream error frame vLLM sends when generation fails after the stream started. */
export function errorFrame(message: string, code: number | string): string {
  return `data: ${errorJson(500, message, code)}\n\n`;
}

export interface CompletionMessage {
  role: "assistant";
  content: string | null;
  tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
}

/** A non-streamed `chat.completion` object. */
export function completionJson(
  w: ChunkWriter,
  message: CompletionMessage,
  finishReason: FinishReason | null,
  promptTokens: number,
  completionTokens: number,
): string {
  return JSON.stringify({
    id: w.id,
    object: "chat.completion",
    created: w.created,
    model: w.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: usage(promptTokens, completionTokens),
  });
}

export function modelsJson(models: { name: string; maxModelLen: number }[], created: number): string {
  return JSON.stringify({
    object: "list",
    data: models.map((m) => ({
      id: m.name,
      object: "model",
      created,
      owned_by: "vllm-sim",
      root: m.name,
      parent: null,
      max_model_len: m.maxModelLen,
    })),
  });
}
