#!/bin/sh
# The floor the `conflicts` bench is measured against: one `git merge-tree --write-tree
# --name-only` of HEAD with each branch, output thrown away (exit 1 is a conflict, not a
# failure). Usage: bench/raw-merge-tree.sh <repo> <branch>...
set -eu
repo=$1
shift
cd "$repo"
for branch in "$@"; do
  git merge-tree --write-tree --name-only HEAD "$branch" >/dev/null || [ $? -eq 1 ]
done
