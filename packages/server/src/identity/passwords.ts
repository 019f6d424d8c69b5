import { type Algorithm, hash, verify } from '@node-rs/argon2';

// OWASP's argon2id minimum (19 MiB, 2 passes); prebuilt binaries, no compiler needed.
// Algorithm is an ambient const enum (not importable as a value here): 2 is Argon2id.
const ARGON2ID = 2 as unknown as Algorithm;
const options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Spends the same time on an unknown user as on a wrong password, so usernames cannot be probed. */
export async function burnVerification(password: string): Promise<void> {
  dummy ??= hashPassword('timing-equaliser-0');
  await verifyPassword(await dummy, password);
}
