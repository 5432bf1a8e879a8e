import type { Resource } from '../../model/inventory.js';
import { levelRule } from '../../rules/level-rule.js';
import type { Rule } from '../../rules/rule.js';
import { matrixFix, withDetail } from '../../rules/rule-detail.js';
import { efsMatrix } from './matrix.js';

/**
 * EFS rules. Encryption and the key of a file system are chosen when it is
 * created and never change, so the fix is a new file system and a copy of
 * the data (the matrix row's runbook, with this file system's id and Region
 * filled in).
 */

/** What a rebuild interrupts: the clients mounted through the file system's mount targets. */
function mountTargetText(resource: Resource): string | null {
  const count = resource.attributes.mountTargets;
  if (typeof count !== 'number') return null;
  if (count === 0) return 'no mount targets: nothing mounts it now';
  return `${count} mount target(s): every client mounted through them moves to the new file system`;
}

export const efsFileSystemEncryptionRule: Rule = withDetail(
  levelRule({
    id: 'EFS.FILE_SYSTEM_ENCRYPTION',
    matrix: efsMatrix,
    types: ['file-system'],
    title: 'EFS file system encryption below the policy minimum',
  }),
  {
    detail: (resource, _context, outcome) => (outcome.status === 'fail' ? mountTargetText(resource) : null),
    ...matrixFix(efsMatrix, (resource) => ({ FS: resource.id, REGION: resource.region })),
  },
);

export const EFS_RULES: readonly Rule[] = [efsFileSystemEncryptionRule];
