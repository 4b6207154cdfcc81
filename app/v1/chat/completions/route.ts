// POST /v1/chat/completions – OpenAI-compatible chat completion, streamed (SSE) or not
import { errors } from "@/lib/errors";
import { imageParts } from "@/lib/files/api-images";
import { completionContent } from "@/lib/files/api-parts";
import { openAiChunkEncoder } from "@/lib/gateway/encode-openai";
import { runTurn } from "@/lib/gateway/pipeline";
import { resolveModel } from "@/lib/gateway/pipeline/admit";
import { runSource } from "@/lib/gateway/relay";
import { openAiToolCalls } from "@/lib/gateway/pipeline/tools";
import type { ReplyRun } from "@/lib/gateway/reply-run";
import { replyResponse, SSE_HEADERS } from "@/lib/gateway/sse";
import { userRoute } from "@/lib/http/route";
import type { SessionUser } from "@/lib/auth/session-user";
import { type CompletionRequest, completionRequestSchema, fileParts, messageText } from "./schema";

const FINISH: Record<string, string> = { length: "length", content_filter: "content_filter", tool_calls: "tool_calls" };

export const POST = userRoute({ body: completionRequestSchema, apiKey: true }, async ({ req, user, body }) => {
  const { run, headers } = await runTurn(user, {
    kind: "messages",
    model: body.model,
    messages: [],
    // Read once the request is admitted (rate limits, caps, a stream slot): a caller over its limits
    // gets its 429 before any file_data is decoded or extracted.
    readMessages: () => completionMessages(user, body),
    maxTokens: body.max_completion_tokens ?? body.max_tokens,
    params: {
      ...(body.temperature != null && { temperature: body.temperature }),
      ...(body.top_p != null && { top_p: body.top_p }),
      ...(body.seed != null && { seed: body.seed }),
      ...(body.stop != null && { stop: body.stop }),
      ...(body.tools?.length && { tools: body.tools }),
      ...(body.tools?.length && body.tool_choice != null && { tool_choice: body.tool_choice }),
    },
  });
  // The caller went away: nothing is stored for an API call, so free the GPU.
  req.signal.addEventListener("abort", () => run.stop(), { once: true });

  // `model` names the model that answers, as OpenAI's does ("auto" → the cascade's pick; a fallback).
  if (body.stream) {
    const encoder = openAiChunkEncoder({ id: run.id, createdAt: run.startedAt, model: run.model }, {
      includeUsage: body.stream_options?.include_usage === true,
      ids: false, // nothing to resume: OpenAI's exact format
    });
    return replyResponse(runSource(run), encoder, { ...SSE_HEADERS, ...headers });
  }
  await new Promise<void>((resolve) => run.onEnd(() => resolve()));
  const r = run.result!;
  if (r.finishReason === "error" || r.finishReason === "interrupted") throw errors.upstream(r.error);
  return Response.json(completionJson(run, run.context.promptTokens), { headers });
});

/** The caller's messages for the pipeline: image and file parts (lib/files) read — images re-encoded as data URLs, PDFs and text files as text. */
async function completionMessages(user: SessionUser, body: CompletionRequest) {
  const files = await Promise.all(
    body.messages.map((m, i) => {
      const parts = fileParts(m.content);
      return parts ? completionContent(user, resolveModel(body.model, user), parts, `messages.${i}.content`) : null;
    }),
  );
  return body.messages.map((m, i) => ({
    // "developer" is OpenAI's newer name for the system role; vLLM chat templates know "system".
    role: m.role === "developer" ? "system" : m.role,
    content: files[i]?.text ?? messageText(m.content),
    ...(files[i]?.images.length && { parts: imageParts(files[i]!.images), partTokens: files[i]!.images.reduce((n, im) => n + im.tokens, 0) }),
    ...(m.name && { name: m.name }),
    ...(m.tool_calls?.length && { tool_calls: m.tool_calls }),
    ...(m.tool_call_id && { tool_call_id: m.tool_call_id }),
  }));
}

function completionJson(run: ReplyRun, estimatedPrompt: number) {
  const r = run.result!;
  const prompt = r.usage?.promptTokens ?? estimatedPrompt;
  const completion = r.usage?.completionTokens ?? 0;
  return {
    id: run.id,
    object: "chat.completion",
    created: Math.floor(run.startedAt / 1000),
    model: run.model,
    choices: [
      {
        index: 0,
        message: run.callerCalls
          ? { role: "assistant", content: run.content || null, refusal: null, tool_calls: openAiToolCalls(run.callerCalls) }
          : { role: "assistant", content: run.content, refusal: null },
        logprobs: null,
        finish_reason: FINISH[r.finishReason] ?? "stop",
      },
    ],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}
