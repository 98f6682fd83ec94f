#!/usr/bin/env python3
"""Checks the engine's layering (docs/architecture.md, "Layers").

Every `#include "LAYER/..."` of a file under ENGINE_DIR must name a layer that the file's own
layer may use, and no chain of includes between engine files may come back to where it started.
A layer is the first folder under engine/ (plant/run/ belongs to plant). Exit status 0 when the
engine keeps to its layers, 1 with one line per offending include or cycle otherwise.

Usage: check-layers.py [ENGINE_DIR]   (default: the engine/ next to this script's folder)
"""
import os
import re
import sys

# Each layer and the layers below it that it may include (besides itself). recording (HDF5) and
# live (MQTT) both sit on telemetry, side by side: neither includes the other. physics (Bullet)
# sits on plant and no layer includes it: the plant layer gets what a run needs of it through an
# interface, and a program that audits links it.
BELOW = {
    "core": [],
    "transport": ["core"],
    "plant": ["core", "transport"],
    "experiment": ["core", "transport", "plant"],
    "io": ["core", "transport", "plant", "experiment"],
    "telemetry": ["core", "transport", "plant", "experiment", "io"],
    "recording": ["core", "transport", "plant", "experiment", "io", "telemetry"],
    "live": ["core", "transport", "plant", "experiment", "io", "telemetry"],
    "physics": ["core", "transport", "plant"],
}
# Quoted and angle-bracket includes alike: the engine's include folder is on the search path of
# both, so <plant/line.hpp> reaches a layer as surely as "plant/line.hpp".
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')


def sources(engine):
    for folder, _, files in os.walk(engine):
        for name in sorted(files):
            if name.endswith((".hpp", ".cpp", ".hpp.in")):
                path = os.path.join(folder, name)
                yield os.path.relpath(path, engine).replace(os.sep, "/")


def layer_of(relative):
    return relative.split("/", 1)[0]


def main():
    engine = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "engine")
    label = os.path.relpath(engine)  # how the files are named in the report
    problems = []
    graph = {}
    files = list(sources(engine))
    known = set(files)
    for relative in files:
        layer = layer_of(relative)
        if layer not in BELOW:
            if "/" in relative:  # a file at the top of engine/ (the version header) is no layer
                problems.append(f"{label}/{relative}: folder '{layer}' is no layer; expected one "
                                f"of {', '.join(BELOW)}")
            continue
        graph[relative] = []
        with open(os.path.join(engine, relative), encoding="utf-8") as text:
            for number, line in enumerate(text, 1):
                match = INCLUDE.match(line)
                if not match:
                    continue
                quoted, target = match.group(1) == '"', match.group(2)
                # A quoted include is looked up beside the including file first: "x.hpp" or
                # "../y.hpp" name engine files too, and must not slip past the check.
                beside = os.path.normpath(os.path.join(os.path.dirname(relative), target))
                if quoted and beside.replace(os.sep, "/") in known:
                    target = beside.replace(os.sep, "/")
                target_layer = layer_of(target)
                if target_layer not in BELOW:
                    continue  # not an engine header (a generated one, a library's)
                if target_layer != layer and target_layer not in BELOW[layer]:
                    allowed = ", ".join(BELOW[layer] + [layer])
                    problems.append(f"{label}/{relative}:{number}: includes {target}, a header of "
                                    f"'{target_layer}', which '{layer}' may not use; it may "
                                    f"include {allowed}")
                if target in known:
                    graph[relative].append((target, number))
    # Cycles: a depth-first search that meets a file still on its path.
    state = {}
    def visit(start):
        stack = [(start, iter(graph.get(start, [])))]
        path = [start]
        state[start] = "open"
        while stack:
            node, children = stack[-1]
            for child, number in children:
                if state.get(child) == "open":
                    cycle = path[path.index(child):] + [child]
                    problems.append(f"{label}/{node}:{number}: includes {child}, closing a cycle: "
                                    + " -> ".join(cycle))
                elif child not in state:
                    state[child] = "open"
                    path.append(child)
                    stack.append((child, iter(graph.get(child, []))))
                    break
            else:
                state[node] = "done"
                path.pop()
                stack.pop()
    for relative in sorted(graph):
        if relative not in state:
            visit(relative)
    for problem in problems:
        print(problem)
    if problems:
        print(f"check-layers: {len(problems)} include(s) break the engine's layers "
              "(docs/architecture.md, Layers)", file=sys.stderr)
        return 1
    print(f"check-layers: {len(graph)} engine files keep to the layers "
          f"{' < '.join(list(BELOW)[:6])} < recording, live; plant < physics")
    return 0


if __name__ == "__main__":
    sys.exit(main())
