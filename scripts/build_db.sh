#!/usr/bin/env bash
# Build the embedded MongoDB-compatible dev/test database (FerretDB + SQLite)
# from local/ferretdb into .build/bin/hes-mongod.
#
# Rebuilds only when the Go sources (local/ferretdb/*.go, go.mod, go.sum)
# changed since the last successful build; a sha256 stamp of those files is
# kept next to the binary (.build/bin/hes-mongod.sha256). Idempotent.
#
# Needs only a Go toolchain and the Go module proxy (modules are fetched
# according to go.mod/go.sum; no cgo, no other downloads).
#
# Usage: scripts/build_db.sh [--force]
#   --force   rebuild even if the stamp matches
# Env:
#   HES_DB_BIN   output binary path (default: <repo>/.build/bin/hes-mongod)
set -euo pipefail

force=0
for arg in "$@"; do
    case "$arg" in
        --force|-f) force=1 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "build_db.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src_dir="$repo_root/local/ferretdb"
bin="${HES_DB_BIN:-$repo_root/.build/bin/hes-mongod}"
stamp="$bin.sha256"

if ! command -v go >/dev/null 2>&1; then
    echo "build_db.sh: 'go' not found in PATH (Go >= 1.24 is needed; older go commands fetch it via GOTOOLCHAIN)" >&2
    exit 1
fi

sha256_stdin() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum | cut -d' ' -f1
    else
        shasum -a 256 | cut -d' ' -f1
    fi
}

# Stable, sorted list of source files that determine the binary.
sources=()
while IFS= read -r f; do
    sources+=("$f")
done < <(cd "$src_dir" && LC_ALL=C ls -1 -- *.go go.mod go.sum patches/*.patch | LC_ALL=C sort)

# Hash file names together with contents so renames also count as changes.
src_hash="$(
    cd "$src_dir"
    for f in "${sources[@]}"; do
        printf '%s\n' "$f"
        sha256_stdin < "$f"
    done | sha256_stdin
)"

if [[ $force -eq 0 && -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$src_hash" ]]; then
    echo "build_db.sh: $bin is up to date (sources sha256 $src_hash)"
    exit 0
fi

if [[ $force -eq 1 ]]; then
    echo "build_db.sh: forced rebuild"
elif [[ ! -x "$bin" ]]; then
    echo "build_db.sh: $bin missing, building"
else
    echo "build_db.sh: sources changed since last build, rebuilding"
fi

mkdir -p "$(dirname "$bin")"
tmp_bin="$bin.tmp.$$"
trap 'rm -f "$tmp_bin"' EXIT

echo "build_db.sh: $(go version)"
echo "build_db.sh: go build ($src_dir) -> $bin"
start=$SECONDS
# FerretDB with our patches (local/ferretdb/patches, see its README): the pinned module from the
# proxy is copied to .build/ferretdb-src, patched there, and swapped in by a `replace` in a copy
# of go.mod. The module cache itself is never modified.
ferret_version="$(sed -n 's#^require github.com/FerretDB/FerretDB \(v[^ ]*\)$#\1#p' "$src_dir/go.mod")"
patched="$repo_root/.build/ferretdb-src"
work="$(mktemp -d)"
trap 'rm -f "$tmp_bin"; rm -rf "$work"' EXIT
module_dir="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$ferret_version" \
    | sed -n 's#^[[:space:]]*"Dir": "\(.*\)",$#\1#p')"
if [[ -z "$module_dir" || ! -d "$module_dir" ]]; then
    echo "build_db.sh: could not download github.com/FerretDB/FerretDB@$ferret_version" >&2
    exit 1
fi
rm -rf "$patched"
mkdir -p "$(dirname "$patched")"
cp -R "$module_dir" "$patched"
chmod -R u+w "$patched"
for p in "$src_dir"/patches/*.patch; do
    echo "build_db.sh: applying $(basename "$p")"
    # outside any git work tree, so git apply patches plain files (inside one it would resolve paths
    # from that tree's top and skip ours)
    (cd "$patched" && GIT_CEILING_DIRECTORIES="$(dirname "$patched")" git apply -p1 --whitespace=nowarn "$p")
done
cp "$src_dir/go.mod" "$src_dir/go.sum" "$work/"
printf '\nreplace github.com/FerretDB/FerretDB => %s\n' "$patched" >> "$work/go.mod"
(
    cd "$src_dir"
    # -mod=mod: resolve modules from go.mod/go.sum via the module proxy.
    # -buildvcs=false: the build must not depend on the state of the git work tree.
    CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" \
        go build -modfile="$work/go.mod" -trimpath -ldflags="-s -w" -o "$tmp_bin" .
)
mv -f "$tmp_bin" "$bin"
printf '%s\n' "$src_hash" > "$stamp"
echo "build_db.sh: built $bin in $((SECONDS - start))s (sources sha256 $src_hash)"
