import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, onSessionLost, setCsrfToken } from '../shell/api.ts';
import type { Permission, SessionUser } from '../shell/types.ts';

export type SignedOutReason = 'expired' | 'signedOut' | undefined;

export interface SessionState {
  readonly user: SessionUser | undefined;
  readonly loading: boolean;
  readonly signedOutReason: SignedOutReason;
  readonly signIn: (username: string, password: string) => Promise<SessionUser>;
  readonly signOut: () => Promise<void>;
  readonly can: (permission: Permission) => boolean;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [signedOutReason, setSignedOutReason] = useState<SignedOutReason>(undefined);

  const adopt = useCallback((next: SessionUser | undefined) => {
    setCsrfToken(next?.csrfToken);
    setUser(next);
  }, []);

  useEffect(() => {
    let alive = true;
    api
      .get<SessionUser>('/auth/me')
      .then((me) => alive && adopt(me))
      .catch((error: unknown) => {
        if (alive && error instanceof ApiError && error.code === 'session_expired')
          setSignedOutReason('expired');
      })
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
  }, [adopt]);

  useEffect(() => {
    onSessionLost(() => {
      adopt(undefined);
      setSignedOutReason('expired');
    });
    return () => onSessionLost(undefined);
  }, [adopt]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const me = await api.post<SessionUser>('/auth/sign-in', { username, password });
      setSignedOutReason(undefined);
      adopt(me);
      return me;
    },
    [adopt],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post('/auth/sign-out');
    } catch {
      // The session may already be gone; signing out locally is what matters.
    }
    adopt(undefined);
    setSignedOutReason('signedOut');
  }, [adopt]);

  const value = useMemo<SessionState>(
    () => ({
      user,
      loading,
      signedOutReason,
      signIn,
      signOut,
      can: (permission) => user?.permissions.includes(permission) ?? false,
    }),
    [user, loading, signedOutReason, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only for components rendered inside the authenticated shell. */
export function useUser(): SessionUser & { can: (permission: Permission) => boolean } {
  const { user, can } = useSession();
  if (!user) throw new Error('useUser without a signed-in user');
  return { ...user, can };
}
