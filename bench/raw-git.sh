#!/bin/sh
# The floor the CLI is measured against: the git commands that collect the same facts
# as `handoff` (base commit, changes against it, untracked files, the base tree), with
# their output thrown away. Usage: bench/raw-git.sh <repo> <base-ref>
set -eu
repo=$1
base=$2
cd "$repo"
mergebase=$(git merge-base HEAD "$base")
git diff --name-status -z "$mergebase" >/dev/null
git ls-files --others --exclude-standard -z >/dev/null
git ls-tree -r -z "$mergebase" >/dev/null
