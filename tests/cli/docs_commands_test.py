#!/usr/bin/env python3
"""Every file a documented command reads exists.

Extracts the shell commands from the code blocks of README.md and docs/*.md (blocks marked sh,
bash, shell or console, every line a command; in blocks without a language, the lines that start
with "$ ") and checks each file that a command reads: a scene, a log, a script. It must be in the
repository, or be written by an earlier command of the same document (--json, --csv, --record,
-o, --screenshot, a "> FILE" redirection), or lie under ../shared/data, the shared data beside the
repository that the documents name by that path. Commands are run from the repository root, as
the README says. Nothing is run: the commands of the linetwin tools are read with what their
options take, other programs only for the script they run and their redirections.

Usage: docs_commands_test.py REPO_ROOT. The shared data is $LINETWIN_SHARED_DATA or
REPO_ROOT/../shared/data; without it, paths into it cannot be checked and the test exits 77
(skipped) after checking everything else.
"""

import os
import re
import shlex
import sys
from pathlib import Path

SHELL_LANGUAGES = {"sh", "bash", "shell", "console"}
LINETWIN_TOOLS = {"linetwin", "linetwin-viewer", "linetwin-publish"}
# Options of the linetwin tools that write the file they name, and that read it.
WRITES = {"--json", "--csv", "--record", "-o", "--output", "--screenshot", "--html", "--junit",
          "--hdf5", "--replications-csv", "--replications-json", "--save-state", "--snapshot",
          "--write-state"}
READS = {"--replay", "--synthetic", "--password-file", "--tls-ca", "--tls-capath", "--tls-cert",
         "--tls-key", "--from-state", "--from-snapshot"}
# Options that take no value; every other option of the linetwin tools takes one.
FLAGS = {"-q", "--quiet", "-h", "--help", "--version", "--drift", "--tls-insecure", "--count-only"}
INTERPRETERS = {"bash", "sh", "python3", "/usr/bin/python3"}
SHARED_DATA_PREFIX = "../shared/data/"
OPERATORS = {"&&", "||", ";", "|", "&", "(", ")"}


def code_blocks(text):
    """(language, first line number, lines) of each fenced code block."""
    blocks, language, start, lines = [], None, 0, None
    for number, line in enumerate(text.splitlines(), 1):
        fence = re.match(r"^\s*```(\S*)", line)
        if fence and lines is None:
            language, start, lines = fence.group(1).lower(), number + 1, []
        elif fence:
            blocks.append((language, start, lines))
            lines = None
        elif lines is not None:
            lines.append(line)
    return blocks


def command_lines(language, start, lines):
    """(line number, command text) of each command in a block, continuation lines joined."""
    commands, pending, pending_line = [], "", 0
    for offset, line in enumerate(lines):
        if language in SHELL_LANGUAGES - {"console"}:
            text = line.strip()
        elif line.startswith("$ ") or pending:
            text = line[2:].strip() if line.startswith("$ ") else line.strip()
        else:
            continue
        if not pending:
            pending_line = start + offset
        if text.endswith("\\"):
            pending += text[:-1] + " "
            continue
        pending += text
        if pending and not pending.startswith("#"):
            commands.append((pending_line, pending))
        pending = ""
    return commands


def simple_commands(text):
    """The simple commands of a command line, each a list of words and redirections."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()<>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    current, result = [], []
    for token in lexer:
        if token in OPERATORS or set(token) <= set("&|;"):
            if current:
                result.append(current)
            current = []
        else:
            current.append(token)
    if current:
        result.append(current)
    return result


def file_uses(words):
    """(read paths, written paths) of one simple command."""
    reads, writes, rest = [], [], []
    index = 0
    while index < len(words):
        word = words[index]
        if set(word) <= set("<>") and index + 1 < len(words):
            (reads if word == "<" else writes).append(words[index + 1])
            index += 2
            continue
        rest.append(word)
        index += 1
    while rest and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", rest[0]):
        rest.pop(0)  # VAR=value before the program
    if not rest:
        return reads, writes
    program, arguments = rest[0], rest[1:]
    name = os.path.basename(program)
    if "/" in program and not re.match(r"^(build[^/]*)/", program):
        reads.append(program)  # a script of the repository, run by its path
    if program in INTERPRETERS and arguments[:2] == ["-m", "linetwin"]:
        # `python3 -m linetwin ARGS` is the CLI itself (bindings/python): read as linetwin ARGS.
        program, name, arguments = "linetwin", "linetwin", arguments[2:]
    elif program in INTERPRETERS:
        # The script it runs: none with -c, whose program is on the command line.
        script = next((a for a in arguments if not a.startswith("-")), None)
        if script and "-c" not in arguments:
            reads.append(script)
        return reads, writes
    if name not in LINETWIN_TOOLS:
        return reads, writes
    if name == "linetwin" and arguments and not arguments[0].startswith("-"):
        arguments = arguments[1:]  # the subcommand
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        option, _, attached = argument.partition("=")
        if argument.startswith("-") and argument != "-":
            if option in FLAGS:
                index += 1
                continue
            value = attached if attached else (
                arguments[index + 1] if index + 1 < len(arguments) else None)
            index += 1 if attached else 2
            if value is None or value == "-":
                continue
            if option in WRITES:
                writes.append(value)
            elif option in READS:
                reads.append(value)
            continue
        if argument != "-":
            reads.append(argument)  # positional arguments are the files a tool reads
        index += 1
    return reads, writes


def is_placeholder(path):
    """SCENE, LOG, FILE.h5: a name that stands for a file in a synopsis."""
    return bool(re.match(r"^[A-Z][A-Z_]*(\.[a-z0-9]+)?$", path))


def main():
    root = Path(sys.argv[1]).resolve()
    shared = Path(os.environ.get("LINETWIN_SHARED_DATA") or root.parent / "shared" / "data")
    documents = [root / "README.md"] + sorted((root / "docs").glob("*.md"))
    failures, unchecked, commands_seen, files_checked = [], [], 0, 0
    for document in documents:
        produced = set()
        relative = document.relative_to(root)
        for language, start, lines in code_blocks(document.read_text(encoding="utf-8")):
            if language not in SHELL_LANGUAGES and language != "":
                continue
            for line, text in command_lines(language, start, lines):
                commands_seen += 1
                for words in simple_commands(text):
                    reads, writes = file_uses(words)
                    for path in reads:
                        if is_placeholder(path) or os.path.isabs(path) or path in produced:
                            continue
                        files_checked += 1
                        if path.startswith(SHARED_DATA_PREFIX):
                            if not shared.is_dir():
                                unchecked.append(f"{relative}:{line}: {path}")
                            elif not (shared / path[len(SHARED_DATA_PREFIX):]).exists():
                                failures.append(f"{relative}:{line}: '{path}' is not in the "
                                                f"shared data ({shared})")
                        elif not (root / path).exists():
                            failures.append(f"{relative}:{line}: '{path}' is neither in the "
                                            "repository nor written by an earlier command of "
                                            f"this document: {text}")
                    produced.update(writes)
    for failure in failures:
        print(f"FAIL: {failure}")
    print(f"docs commands: {commands_seen} commands, {files_checked} files read, "
          f"{len(failures)} missing")
    if failures:
        return 1
    if unchecked:
        print(f"SKIP: no shared data at {shared}, so these were not checked: "
              + "; ".join(unchecked))
        return 77
    # The check must see the commands it is about: a parser that found none would pass anything.
    return 0 if commands_seen >= 20 and files_checked >= 20 else 1


if __name__ == "__main__":
    sys.exit(main())
