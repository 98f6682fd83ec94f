"""`python3 -m linetwin ARGS` is `linetwin ARGS`: the CLI's own code, on this process's standard
output and error, with its exit status."""
import sys

from linetwin import _core


def main() -> int:
    # What Python buffered goes out before the CLI writes past it.
    sys.stdout.flush()
    sys.stderr.flush()
    return _core.cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
