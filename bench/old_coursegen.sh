#!/bin/sh
# Make a `coursegen` of another revision, to measure it beside the working tree's:
#
#     bash bench/old_coursegen.sh 208475a        # prints /tmp/coursegen-rev/208475a.../venv/bin/coursegen
#     .venv/bin/python bench/build_bench.py --coursegen old=$(bash bench/old_coursegen.sh 208475a) ...
#
# REV is checked out (detached) into a git worktree under $COURSEGEN_REV_ROOT (default /tmp/coursegen-rev),
# which gets its own venv with that worktree installed editable. The dependencies are held to the versions
# of the project's venv (.venv, `pip freeze` as constraints) so that both codes run on the same libraries.
# Only the path of the coursegen executable goes to stdout; progress goes to stderr. A second call with the
# same REV reuses what the first made. Remove one with: git worktree remove --force DIR/src; rm -rf DIR
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 REV" >&2
    exit 2
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
sha=$(git -C "$repo" rev-parse --verify --quiet "$1^{commit}") || { echo "$0: no such revision: $1" >&2; exit 2; }
dest=${COURSEGEN_REV_ROOT:-/tmp/coursegen-rev}/$sha
exe=$dest/venv/bin/coursegen

if [ ! -f "$dest/installed" ]; then
    mkdir -p "$dest"
    if [ ! -e "$dest/src/.git" ]; then
        git -C "$repo" worktree add --detach "$dest/src" "$sha" >&2
    fi
    [ -x "$dest/venv/bin/python" ] || python3 -m venv "$dest/venv"
    constraints=$dest/constraints.txt
    if [ -x "$repo/.venv/bin/pip" ]; then
        "$repo/.venv/bin/pip" freeze --exclude-editable 2>/dev/null | grep -v '^-e ' | grep -v '^coursegen' > "$constraints" || true
    else
        : > "$constraints"
    fi
    echo "installing coursegen $sha into $dest/venv ..." >&2
    if ! "$dest/venv/bin/pip" install -q -c "$constraints" -e "$dest/src" >&2; then
        echo "$0: install with the project venv's versions failed; installing the newest dependencies" >&2
        "$dest/venv/bin/pip" install -q -e "$dest/src" >&2
    fi
    "$exe" --version >&2
    touch "$dest/installed"
fi
echo "$exe"
