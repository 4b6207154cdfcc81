// Reading the API's error shape ({ error: { message, type, code, param } }) in the browser.

/** The server's message for a failed response, or `fallback` when the body is not our error JSON. */
export async function readApiError(res: Response, fallback: string): Promise<string> {
  try {
    const body: unknown = await res.json();
    if (body && typeof body === "object" && "error" in body) {
      const err = (body as { error: unknown }).error;
      if (err && typeof err === "object" && "message" in err && typeof err.message === "string" && err.message) {
        return err.message;
      }
    }
  } catch {
    // not JSON: fall through to the generic message
  }
  return fallback;
}

/** A JSON request to our own API; a failed response throws an Error with the server's message. */
export async function requestJson<T>(
  url: string,
  { method = "GET", body, signal, failure }: { method?: string; body?: unknown; signal?: AbortSignal; failure: string },
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: "same-origin",
      signal,
      // Every write declares JSON, bodiless ones (DELETE) too: the server refuses other writes (CSRF).
      headers: body === undefined && method === "GET" ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new Error("Couldn’t reach the server. Check your connection and try again.");
  }
  if (!res.ok) throw new Error(await readApiError(res, `${failure} (HTTP ${res.status}).`));
  return (await res.json()) as T;
}
