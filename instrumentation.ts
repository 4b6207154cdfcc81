// Runs once when the Next.js server starts: connect and migrate the database, start maintenance.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startBackgroundJobs } = await import("./lib/jobs/background");
  await startBackgroundJobs();
}
