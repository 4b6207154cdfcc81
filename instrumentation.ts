// Runs once when the Next.js server starts: connect and migrate the database, start maintenance.
// Not awaited: the server answers (sign-in page, static assets) while the database warms up; the
// first query waits for the same getDb() promise.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startBackgroundJobs } = await import("./lib/jobs/background");
  startBackgroundJobs().catch((err: unknown) => console.error("[start] background jobs failed to start", err));
}
