// "Stop generating" from any instance: the stop bus (lib/live) reaches the instance that generates
// the reply, which aborts the upstream request (the GPU is freed) and saves the partial reply as
// `aborted`. The database is the record: this waits until the reply's row is final, and if no
// generator answers (it died and its lease has not lapsed yet), ends the row here with its last
// checkpoint and appends the end event for attached clients.
import { endAssistantMessageAsIs, getLeafReply, getMessageById } from "@/db/queries/messages";
import { errors } from "@/lib/errors";
import { live } from "./pipeline/live";

const WAIT_MS = 3_000;
const POLL_MS = 25;

export async function stopReply(args: { conversationId: string; userId: string }): Promise<void> {
  const reply = await getLeafReply(args);
  if (reply === undefined) throw errors.notFound("conversation");
  if (!reply || reply.finishReason !== null) return;
  const store = live();
  await store.stops.requestStop(reply.id);
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const row = await getMessageById({ id: reply.id, userId: args.userId });
    if (!row || row.finishReason !== null) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const ended = await endAssistantMessageAsIs({ id: reply.id, finishReason: "aborted", error: null });
  if (ended) {
    store.log.append(reply.id, [{ type: "end", finishReason: "aborted", error: null, model: ended.model ?? "", usage: null }]);
    await store.log.close(reply.id);
  }
}
