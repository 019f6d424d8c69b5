import { Select } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUser } from '../identity/session.tsx';
import { orgUnitLabel, useOrgScope } from '../org/scope.tsx';

/**
 * The branch a signed-in queue screen works on: the header's org switcher when it names a
 * branch, else the user's own unit when it is a branch, else the first branch in scope.
 */
export function useQueueBranch(): {
  readonly branchId: string | undefined;
  readonly picker: ReactNode;
} {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const scope = useOrgScope();
  const branches = scope.units.filter((u) => u.kind === 'branch' && u.active);
  const fromScope = branches.find((b) => b.id === scope.selectedId)?.id;
  const own = branches.find((b) => b.id === user.orgUnitId)?.id;
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (fromScope) setChosen(fromScope);
  }, [fromScope]);
  const branchId =
    (chosen && branches.some((b) => b.id === chosen) ? chosen : undefined) ??
    fromScope ??
    own ??
    (user.orgUnitId && branches.length === 0 ? user.orgUnitId : branches[0]?.id);
  const picker =
    branches.length > 1 ? (
      <Select
        aria-label={t('queue.pickBranch')}
        value={branchId}
        onChange={setChosen}
        options={branches.map((b) => ({ value: b.id, label: orgUnitLabel(b, i18n.language) }))}
        style={{ width: 200 }}
        data-testid="queue-branch"
      />
    ) : null;
  return { branchId, picker };
}
