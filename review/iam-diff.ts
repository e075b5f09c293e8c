import { extractIam, IamStatement, OpaquePolicy, PolicyAttachment, statementKey } from './iam-extract';
import { TerraformJson } from './terraform-json';

export interface AddedStatement extends IamStatement {
  /** Actions this statement's source did not have before with the same effect: the newly granted (or denied) ones. */
  readonly newActions: string[];
}

export interface IamDiff {
  readonly added: AddedStatement[];
  readonly removed: IamStatement[];
  readonly attachmentsAdded: PolicyAttachment[];
  readonly attachmentsRemoved: PolicyAttachment[];
  /** Policy attributes in the head that cannot be read statically; check them by hand. */
  readonly opaque: OpaquePolicy[];
}

const attachmentKey = (a: PolicyAttachment): string => JSON.stringify([a.source, a.target, a.policyArn]);

function minus<T>(items: T[], other: T[], key: (item: T) => string): T[] {
  const keys = new Set(other.map(key));
  return items.filter((item) => !keys.has(key(item)));
}

/** IAM statements and attachments added and removed, matched by canonical key rather than position. */
export function diffIam(base: TerraformJson, head: TerraformJson): IamDiff {
  const before = extractIam(base);
  const after = extractIam(head);
  const removed = minus(before.statements, after.statements, statementKey);
  const added = minus(after.statements, before.statements, statementKey).map((st) => {
    const had = new Set(
      before.statements.filter((old) => old.source === st.source && old.effect === st.effect).flatMap((old) => old.actions),
    );
    return { ...st, newActions: st.actions.filter((action) => !had.has(action)) };
  });
  const opaqueBefore = new Set(before.opaque.map((o) => JSON.stringify(o)));
  return {
    added,
    removed,
    attachmentsAdded: minus(after.attachments, before.attachments, attachmentKey),
    attachmentsRemoved: minus(before.attachments, after.attachments, attachmentKey),
    opaque: after.opaque.filter((o) => !opaqueBefore.has(JSON.stringify(o))),
  };
}
