// `npm run user:set -- <email> [--tier=free|plus|team|enterprise] [--role=user|admin]`: operator tooling to
// change an account's tier or role in the configured database (DATABASE_URL, or the embedded PGlite).
import { closeDb } from "../db";
import { setUserAccessByEmail } from "../db/queries/users";
import { userRoles, userTiers } from "../db/schema";

function flag(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function main(): Promise<number> {
  const email = process.argv.slice(2).find((a) => !a.startsWith("--"));
  const tier = flag("tier");
  const role = flag("role");
  if (!email || (tier && !userTiers.includes(tier as never)) || (role && !userRoles.includes(role as never))) {
    console.error(`usage: npm run user:set -- <email> [--tier=${userTiers.join("|")}] [--role=${userRoles.join("|")}]`);
    return 2;
  }
  const user = await setUserAccessByEmail({
    email,
    tier: tier as (typeof userTiers)[number] | undefined,
    role: role as (typeof userRoles)[number] | undefined,
  });
  if (!user) {
    console.error(`No account with the email ${email}.`);
    return 1;
  }
  console.log(`${user.email}: tier=${user.tier} role=${user.role}`);
  return 0;
}

main()
  .then(async (code) => {
    await closeDb();
    process.exit(code);
  })
  .catch(async (err) => {
    console.error(err);
    await closeDb();
    process.exit(1);
  });
