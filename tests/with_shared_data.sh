#!/usr/bin/env bash
# Usage: with_shared_data.sh FILE COMMAND [ARGS...]
# Runs COMMAND ARGS... DATA/FILE, where DATA is the shared data folder: $LINETWIN_SHARED_DATA, or
# ../shared/data beside the repository. Without that file it exits 77, which the tests that run
# through this script have as SKIP_RETURN_CODE: CTest reports them skipped instead of passed.
set -u
data=${LINETWIN_SHARED_DATA:-$(dirname "$0")/../../shared/data}
file="$data/$1"
shift
if [ ! -e "$file" ]; then
  echo "SKIP: needs $file (../shared/data, or \$LINETWIN_SHARED_DATA)"
  exit 77
fi
exec "$@" "$file"
