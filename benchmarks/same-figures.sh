#!/usr/bin/env bash
# Shows that a change moved no figure: runs every experiment (lab:report, every table's JSON and CSV)
# on commit REF (default HEAD) and on the working tree, each with a fresh Config Admin folder, and
# compares report.json and every CSV byte for byte (a REF from before report.json's scorecard and
# segment statistics: report.json up to its experiments, the two keys after them being new). Exit 0
# and "same figures" when identical; else
# the differences and exit 1. REF's report is kept in ${TMPDIR:-/tmp}/l3wb-figures-<commit> and reused.
#   benchmarks/same-figures.sh [REF] [extra lab:report options, e.g. --rounds 20]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ref="${1:-HEAD}"
shift || true
opts="$*"
commit="$(git -C "$root" rev-parse --verify "$ref^{commit}")"
tmp="${TMPDIR:-/tmp}"
key="$(printf '%s' "$opts" | sha256sum | cut -c1-8)"
before="$tmp/l3wb-figures-$commit-$key"
after="$(mktemp -d "$tmp/l3wb-figures-after.XXXXXX")"
trap 'rm -rf "$after"' EXIT

report() { # tree, output folder
    local cm
    cm="$(mktemp -d "$tmp/l3wb-cm.XXXXXX")"
    (cd "$1" && WORKBENCH_JAVA_OPTS="-Dfelix.cm.dir=$cm" ./workbench "lab:report --out $2 $opts" >&2)
    rm -rf "$cm"
}

if [[ ! -f "$before/report.json" ]]; then
    base="$(mktemp -d "$tmp/l3wb-base.XXXXXX")"
    git -C "$root" worktree add --detach "$base/tree" "$commit" >/dev/null 2>&1
    report "$base/tree" "$base/report"
    rm -rf "$before" && mkdir -p "$before"
    cp -L "$base"/report/*.json "$base"/report/*.csv "$before"/
    git -C "$root" worktree remove --force "$base/tree"
    rm -rf "$base"
fi
report "$root" "$after/report"
status=0
# report.json of a REF from before its scorecard and segment statistics (issue 14): the same bytes up to
# the end of "experiments", then those two keys; the figures are in what the two files share
appended() {
    local old="$1" new="$2" size
    size="$(stat -c %s "$old")"
    [[ "$(basename "$old")" == report.json && "$(tail -c 3 "$old")" == $'\n}' ]] &&
        ! grep -q '"scorecard"' "$old" && cmp -s -n "$((size - 3))" "$old" "$new" &&
        [[ "$(tail -c +"$((size - 2))" "$new" | head -c 15)" == $',\n  "scorecard"' ]]
}
for f in "$before"/*.json "$before"/*.csv; do
    name="$(basename "$f")"
    if appended "$f" "$after/report/$name"; then
        echo "report.json: the same, then the scorecard and statistics (new keys)"
    elif ! cmp -s "$f" "$after/report/$name"; then
        echo "differs: $name" && diff "$f" "$after/report/$name" | head -20 || true
        status=1
    fi
done
for f in "$after"/report/*.json "$after"/report/*.csv; do
    [[ -f "$before/$(basename "$f")" ]] || { echo "new: $(basename "$f")"; }
done
[[ $status == 0 ]] && echo "same figures as $ref ($commit)"
exit $status
