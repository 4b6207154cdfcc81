// Share links from the browser: GET|POST|DELETE /v1/conversations/:id/share, and continuing a shared chat.
import { requestJson } from "./api-error";

export interface ShareJson {
  share_url: string | null;
  shared_message_id: string | null;
  up_to_date: boolean;
}

const url = (id: string) => `/v1/conversations/${encodeURIComponent(id)}/share`;

export const getShare = (id: string) => requestJson<ShareJson>(url(id), { failure: "Couldn’t load the share link" });
export const createShare = (id: string) => requestJson<ShareJson>(url(id), { method: "POST", failure: "Couldn’t share the chat" });
export const revokeShare = (id: string) => requestJson<ShareJson>(url(id), { method: "DELETE", failure: "Couldn’t revoke the link" });

export function continueShared(token: string): Promise<{ id: string }> {
  return requestJson(`/api/share/${encodeURIComponent(token)}/continue`, { method: "POST", failure: "Couldn’t copy the chat" });
}
