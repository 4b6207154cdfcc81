// Internal addresses stay out of logs. A replica is named by its pool and its place in the pool's
// list ("gpt-4o-main/0"; the catalog maps a label back to its URL), and upstream error details lose the
// URLs and host:port pairs they quote (undici's "connect ECONNREFUSED 10.0.3.7:8000").
import { getCatalog } from "@/lib/models/catalog";

export function replicaLabel(pool: string, url: string): string {
  if (!url) return "none";
  for (const model of getCatalog().models) {
    for (const p of model.pools) {
      if (p.name !== pool) continue;
      const i = p.replicas.findIndex((r) => r.url === url);
      if (i >= 0) return `${pool}/${i}`;
    }
  }
  return `${pool || "unknown"}/?`;
}

// Bounded or single-class runs only (linear on any text): URLs, IPv4 with an optional port, [IPv6]:port.
const ADDRESS = /[a-z][a-z0-9+.-]{0,15}:\/\/[^\s"'<>]+|\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b|\[[0-9a-f:.]{2,45}\](?::\d{1,5})?/gi;

export function withoutAddresses(text: string): string {
  return text.replace(ADDRESS, "[address]");
}
