import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useSession } from '../identity/session.tsx';
import { api } from '../shell/api.ts';
import type { OrgUnit } from '../shell/types.ts';

export interface OrgTreeNode {
  readonly unit: OrgUnit;
  readonly children: OrgTreeNode[];
}

/** Builds the tree from the flat list (roots are units whose parent is not in the list). */
export function buildOrgTree(units: readonly OrgUnit[]): OrgTreeNode[] {
  const byId = new Map<string, OrgTreeNode>();
  for (const unit of units) byId.set(unit.id, { unit, children: [] });
  const roots: OrgTreeNode[] = [];
  const sorted = [...units].sort((a, b) => a.depth - b.depth || a.code.localeCompare(b.code));
  for (const unit of sorted) {
    const node = byId.get(unit.id);
    if (!node) continue;
    const parent = unit.parentId ? byId.get(unit.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  // Line units (regions, branches) before departments, then by code.
  const rank: Record<OrgUnit['kind'], number> = { head_office: 0, region: 1, branch: 2, department: 3 };
  const order = (nodes: OrgTreeNode[]) => {
    nodes.sort((a, b) => rank[a.unit.kind] - rank[b.unit.kind] || a.unit.code.localeCompare(b.unit.code));
    for (const n of nodes) order(n.children);
  };
  order(roots);
  return roots;
}

export interface OrgScopeState {
  readonly units: readonly OrgUnit[];
  readonly tree: OrgTreeNode[];
  readonly loading: boolean;
  /** The unit chosen in the header's org switcher; undefined = everything in scope. */
  readonly selectedId: string | undefined;
  readonly select: (id: string | undefined) => void;
  readonly reload: () => Promise<void>;
  readonly unitName: (id: string | null | undefined) => string;
}

const OrgScopeContext = createContext<OrgScopeState | undefined>(undefined);

export function OrgScopeProvider({
  children,
  locale,
}: {
  readonly children: ReactNode;
  readonly locale: string;
}) {
  const { user, can } = useSession();
  const [units, setUnits] = useState<readonly OrgUnit[]>([]);
  const [loading, setLoading] = useState(false);
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const userId = user?.userId;
  const mayRead = can('org.read');

  const reload = useCallback(async () => {
    if (!userId || !mayRead) {
      setUnits([]);
      return;
    }
    setLoading(true);
    try {
      setUnits(await api.get<OrgUnit[]>('/org-units'));
    } finally {
      setLoading(false);
    }
  }, [userId, mayRead]);

  useEffect(() => {
    setSelectedId(undefined);
    reload().catch(() => undefined);
  }, [reload]);

  const value = useMemo<OrgScopeState>(() => {
    const byId = new Map(units.map((u) => [u.id, u]));
    return {
      units,
      tree: buildOrgTree(units),
      loading,
      selectedId,
      select: setSelectedId,
      reload,
      unitName: (id) => {
        const unit = id ? byId.get(id) : undefined;
        if (!unit) return '';
        return locale === 'en' && unit.nameEn ? unit.nameEn : unit.name;
      },
    };
  }, [units, loading, selectedId, reload, locale]);
  return <OrgScopeContext.Provider value={value}>{children}</OrgScopeContext.Provider>;
}

export function useOrgScope(): OrgScopeState {
  const value = useContext(OrgScopeContext);
  if (!value) throw new Error('useOrgScope outside OrgScopeProvider');
  return value;
}

/** Localised display name of a unit. */
export function orgUnitLabel(unit: OrgUnit, locale: string): string {
  return locale === 'en' && unit.nameEn ? unit.nameEn : unit.name;
}
