// Used by actions/github-script in .github/workflows/plan-review.yml: keeps ONE review comment per pull
// request, found by a hidden marker and edited in place on every push instead of adding a new comment.
'use strict';

const MARKER = '<!-- iot-plan-review -->';

/**
 * @param {{ github: any, context: any, body: string, marker?: string }} args
 * @returns {Promise<{ action: 'created' | 'updated', id: number }>}
 */
async function upsertComment({ github, context, body, marker = MARKER }) {
  const { owner, repo } = context.repo;
  const issue_number = context.issue.number;
  const text = body.includes(marker) ? body : `${marker}\n${body}`;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  // Only a bot's comment: a person quoting the marker must not have their comment overwritten.
  const mine = comments.find((c) => c.user && c.user.type === 'Bot' && typeof c.body === 'string' && c.body.includes(marker));
  if (mine) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body: text });
    return { action: 'updated', id: mine.id };
  }
  const created = await github.rest.issues.createComment({ owner, repo, issue_number, body: text });
  return { action: 'created', id: created.data.id };
}

module.exports = { upsertComment, MARKER };
