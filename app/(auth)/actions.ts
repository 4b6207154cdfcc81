"use server";
// Sign-in, registration, guest and sign-out server actions. Every export here is a public endpoint.
// (Stub signatures; implemented by the auth work.)

export type AuthFormState = { error?: string; fieldErrors?: { email?: string; password?: string } } | undefined;

export async function signInAction(_prev: AuthFormState, _form: FormData): Promise<AuthFormState> {
  return { error: "Not implemented yet." };
}

export async function registerAction(_prev: AuthFormState, _form: FormData): Promise<AuthFormState> {
  return { error: "Not implemented yet." };
}

export async function guestAction(): Promise<void> {}

export async function signOutAction(): Promise<void> {}
