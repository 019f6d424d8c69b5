import { AppError, isWithin, type Permission, type Role } from '@serviceloop/domain';

/** The signed-in user behind a request, with the org subtree they may see. */
export interface Actor {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly orgUnitId: string;
  /** Materialised path of the user's org unit: everything below it is in scope. */
  readonly scopePath: string;
  readonly roles: readonly Role[];
  readonly permissions: ReadonlySet<Permission>;
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly locale: string;
}

export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

/** Out-of-scope data answers 404, not 403: a user of branch A must not learn what exists in branch B. */
export function assertInScope(actor: Actor, path: string | null | undefined, what = 'Resource'): void {
  if (!path || !isWithin(path, actor.scopePath)) throw new AppError('not_found', `${what} not found`);
}
