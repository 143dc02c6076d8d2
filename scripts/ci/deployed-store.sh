#!/usr/bin/env bash
# Keeps sovstack's deployed store (the configuration last deployed per stack, `.sovstack/deployed`) on a
# branch of the repository, so that every CI job and every operator sees what was deployed: `plan` lists
# orphans from it, `destroy <stack>` decommissions from it, `deploy` refuses to lose protected data by it.
# The branch holds only `<stack>.tf.json` files (synthesized JSON: no secrets, guardrail `no-secrets`),
# one commit per deploy job, so its history is the deploy history.
#
#   deployed-store.sh pull <dir>          check the branch out into <dir> (empty store when it does not exist yet)
#   deployed-store.sh push <dir> <msg>    commit what changed in <dir> and push it (rebases and retries when
#                                         another job pushed first: jobs touch different stacks' files)
#
# Environment: SOVSTACK_DEPLOYED_BRANCH (default sovstack-deployed), SOVSTACK_DEPLOYED_REMOTE (default
# origin), SOVSTACK_DEPLOYED_AUTHOR (default "sovstack CI <sovstack-ci@users.noreply.invalid>").
# The job needs write access to the repository (GitHub: `permissions: contents: write`; GitLab: a project
# access token with write_repository in the remote URL, see docs/ci/README.md).
set -euo pipefail
branch="${SOVSTACK_DEPLOYED_BRANCH:-sovstack-deployed}"
remote="${SOVSTACK_DEPLOYED_REMOTE:-origin}"
author="${SOVSTACK_DEPLOYED_AUTHOR:-sovstack CI <sovstack-ci@users.noreply.invalid>}"
# The author of the store's commits, as git -c options (commit and rebase both write commits).
identity=(-c "user.name=${author% <*}" -c "user.email=$(sed 's/.*<\(.*\)>.*/\1/' <<<"$author")")
usage() { echo "usage: deployed-store.sh pull <dir> | push <dir> <message>" >&2; exit 2; }

fetch() { git fetch --quiet "$remote" "+refs/heads/$branch:refs/remotes/$remote/$branch" 2>/dev/null; }

pull() {
  local dir="$1"
  if [[ -e "$dir/.git" ]]; then
    echo "deployed-store.sh: $dir is already checked out" >&2
    return 0
  fi
  if [[ -d "$dir" && -n "$(ls -A "$dir")" ]]; then
    echo "deployed-store.sh: $dir already holds files that are not the $branch branch; move them aside first" >&2
    return 1
  fi
  git worktree prune
  if fetch; then
    git worktree add --quiet --force -B "$branch" "$dir" "$remote/$branch"
    echo "deployed-store.sh: $(find "$dir" -maxdepth 1 -name '*.tf.json' | wc -l) deployed stacks from $remote/$branch"
  else
    git worktree add --quiet --force --detach "$dir" HEAD
    git -C "$dir" checkout --quiet --orphan "$branch"
    git -C "$dir" rm -rq --cached . 2>/dev/null || true
    find "$dir" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
    echo "deployed-store.sh: no $remote/$branch yet: empty store in $dir"
  fi
}

push() {
  local dir="$1" message="$2" attempt
  git -C "$dir" add -A .
  if git -C "$dir" diff --cached --quiet; then
    echo "deployed-store.sh: nothing new to record"
    return 0
  fi
  git -C "$dir" "${identity[@]}" commit --quiet -m "$message"
  for attempt in 1 2 3 4 5; do
    if git -C "$dir" push --quiet "$remote" "HEAD:refs/heads/$branch" 2>/dev/null; then
      echo "deployed-store.sh: recorded on $remote/$branch ($(git -C "$dir" rev-parse --short HEAD))"
      return 0
    fi
    echo "deployed-store.sh: $remote/$branch moved (attempt $attempt); rebasing on it" >&2
    fetch || true
    git -C "$dir" "${identity[@]}" rebase --quiet "$remote/$branch" || {
      git -C "$dir" rebase --abort
      break
    }
  done
  echo "deployed-store.sh: could not push the deployed store to $remote/$branch; the deploy happened:" \
    "push $dir by hand (git -C $dir push $remote HEAD:refs/heads/$branch)" >&2
  return 1
}

case "${1:-}" in
  pull) [[ $# -eq 2 ]] || usage; pull "$2" ;;
  push) [[ $# -eq 3 ]] || usage; push "$2" "$3" ;;
  *) usage ;;
esac
