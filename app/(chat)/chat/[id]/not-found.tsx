import Link from "next/link";

export default function ChatNotFound() {
  return (
    <main className="flex flex-1 flex-col items-center justify-center gap-3 px-6 text-center">
      <h1 className="text-xl font-semibold">Chat not found</h1>
      <p className="max-w-sm text-sm text-muted-foreground">
        This conversation doesn&apos;t exist, or it belongs to another account.
      </p>
      <Link href="/" className="mt-2 rounded-lg bg-primary px-4 py-2 text-sm font-medium text-primary-foreground">
        Start a new chat
      </Link>
    </main>
  );
}
