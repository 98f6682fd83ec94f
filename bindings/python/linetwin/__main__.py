"""`python3 -m linetwin ARGS` is `linetwin ARGS`: the CLI's own code, on this process's standard
output and error, with its exit status."""
import os
import signal
import sys

from linetwin import _core


def main() -> int:
    # What Python buffered goes out before the CLI writes past it.
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        return _core.cli_main(sys.argv[1:])
    except KeyboardInterrupt:
        # The CLI stopped its work at Ctrl-C; the program then ends as the `linetwin` program
        # does, killed by SIGINT (a shell's status 130), without a traceback.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
        raise


if __name__ == "__main__":
    sys.exit(main())
