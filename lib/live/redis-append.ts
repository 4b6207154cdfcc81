// The one script a flush runs per reply: it appends the reply's new events to its stream and keeps
// the keys' expiry. The first instance to write a reply becomes its writer (<reply>:writer); the
// writer's events keep the seqs it assigned (entries at or below the stream's top were written by an
// earlier, retried flush and are skipped: retries are idempotent). Anyone else's events — the end
// event another instance writes for a reply whose generator died or did not answer a stop — are
// numbered after the stream's top. Returns -1 for the writer, else the top it appended after.
import { createHash } from "node:crypto";

export const APPEND_SCRIPT = `
local w = redis.call('GET', KEYS[2])
if not w then
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
  w = ARGV[1]
end
local top = 0
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if last[1] then top = tonumber(string.match(last[1][1], '%-(%d+)$')) end
local mine = w == ARGV[1]
local seq = top
if mine then seq = tonumber(ARGV[4]) - 1 end
for i = 5, #ARGV do
  seq = seq + 1
  if seq > top then redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '0-' .. seq, 'e', ARGV[i]) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
if mine then return -1 end
return top
`;

export const APPEND_SHA = createHash("sha1").update(APPEND_SCRIPT).digest("hex");
