// The org tree's kinds and nesting rule (no zod): the web app imports them at run time.

/** The bank's tree: head office → region → branch → department. */
export const OrgUnitKinds = ['head_office', 'region', 'branch', 'department'] as const;
export type OrgUnitKind = (typeof OrgUnitKinds)[number];

const allowedParent: Record<OrgUnitKind, OrgUnitKind | null> = {
  head_office: null,
  region: 'head_office',
  branch: 'region',
  department: 'branch',
};

/** Which kind may sit directly under which; a department may also sit under head office or a region. */
export function canBeChildOf(child: OrgUnitKind, parent: OrgUnitKind | null): boolean {
  if (child === 'department') return parent !== null;
  return allowedParent[child] === parent;
}
