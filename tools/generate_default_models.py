#!/usr/bin/python3
"""Writes linetwin's default 3D models, one per element kind, as Wavefront OBJ in assets/models.

The viewer draws an element that names no model with its kind's model from here (docs/viewer.md,
"Models"). Each is a low-poly shape built from boxes and prisms, at its real size in metres in the
frame the viewer places models in (tools/viewer/render/element_placement.cpp): x along the line,
y across it, z up, standing on the floor (z = 0) and centred on the element's pose (x = y = 0).
A conveyor runs along x, its longest horizontal side. The files are the output of this script,
committed so that a checkout needs no Python to show them; `--check` says whether the committed
files are still what the script writes and are listed in assets/LICENSES.md (CTest runs it), so a
model is changed here, never by hand.

Usage: tools/generate_default_models.py [--out DIR] [--check]
  DIR defaults to assets/models beside this script's folder.
"""

import argparse
import math
import pathlib
import sys

LICENCE = "CC0-1.0"


class Mesh:
    """Vertices, normals and faces of one OBJ object, with flat shading (one normal per face)."""

    def __init__(self):
        self.vertices = []
        self.normals = []
        self.faces = []  # (vertex indices, normal index), 1-based as OBJ counts

    def vertex(self, point):
        self.vertices.append(point)
        return len(self.vertices)

    def face(self, points):
        """A planar polygon, its corners counter-clockwise seen from outside."""
        ax, ay, az = (points[1][k] - points[0][k] for k in range(3))
        bx, by, bz = (points[2][k] - points[0][k] for k in range(3))
        normal = (ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx)
        length = math.sqrt(sum(c * c for c in normal))
        self.normals.append(tuple(c / length for c in normal))
        self.faces.append(([self.vertex(p) for p in points], len(self.normals)))

    def box(self, low, high):
        """An axis-aligned box from corner `low` to corner `high`."""
        x0, y0, z0 = low
        x1, y1, z1 = high
        self.face([(x0, y0, z0), (x0, y1, z0), (x1, y1, z0), (x1, y0, z0)])  # bottom
        self.face([(x0, y0, z1), (x1, y0, z1), (x1, y1, z1), (x0, y1, z1)])  # top
        self.face([(x0, y0, z0), (x1, y0, z0), (x1, y0, z1), (x0, y0, z1)])  # -y
        self.face([(x1, y1, z0), (x0, y1, z0), (x0, y1, z1), (x1, y1, z1)])  # +y
        self.face([(x0, y1, z0), (x0, y0, z0), (x0, y0, z1), (x0, y1, z1)])  # -x
        self.face([(x1, y0, z0), (x1, y1, z0), (x1, y1, z1), (x1, y0, z1)])  # +x

    def prism(self, centre, radius, half_length, axis, sides=8):
        """A cylinder as a prism of `sides` faces, its axis along 'x', 'y' or 'z' through `centre`."""

        def point(angle, end):
            u = radius * math.cos(angle)
            v = radius * math.sin(angle)
            along = end * half_length
            # (u, v, along) in the axis' own right-handed frame.
            local = {"x": (along, u, v), "y": (v, along, u), "z": (u, v, along)}[axis]
            return tuple(centre[k] + local[k] for k in range(3))

        angles = [2 * math.pi * k / sides for k in range(sides)]
        self.face([point(a, 1) for a in angles])
        self.face([point(a, -1) for a in reversed(angles)])
        for k in range(sides):
            a, b = angles[k], angles[(k + 1) % sides]
            self.face([point(a, -1), point(b, -1), point(b, 1), point(a, 1)])

    def bounds(self):
        return [
            (min(v[k] for v in self.vertices), max(v[k] for v in self.vertices)) for k in range(3)
        ]


def station():
    """A machine: base cabinet, guarded working enclosure, control panel and a stack light."""
    m = Mesh()
    m.box((-1.0, -0.75, 0.0), (1.0, 0.75, 0.85))  # base cabinet
    m.box((-0.9, -0.6, 0.85), (0.9, 0.7, 1.65))  # enclosure, its door on the -y side
    m.box((-0.85, -0.62, 0.95), (0.35, -0.6, 1.55))  # the door's window
    m.box((0.5, -0.75, 0.95), (0.85, -0.6, 1.4))  # control panel
    m.prism((0.8, 0.6, 1.725), 0.05, 0.075, "z")  # stack light
    return m, "a machine 2.0 x 1.5 x 1.8 m: base cabinet, guarded enclosure, control panel, stack light"


def buffer():
    """A box pallet: a pallet's deck on blocks, with a low rim around the load."""
    m = Mesh()
    for x in (-0.55, 0.0, 0.55):
        for y in (-0.55, 0.0, 0.55):
            m.box((x - 0.05, y - 0.05, 0.0), (x + 0.05, y + 0.05, 0.1))  # blocks
    m.box((-0.6, -0.6, 0.1), (0.6, 0.6, 0.15))  # deck
    m.box((-0.6, -0.6, 0.15), (0.6, -0.56, 0.3))  # rim
    m.box((-0.6, 0.56, 0.15), (0.6, 0.6, 0.3))
    m.box((-0.6, -0.56, 0.15), (-0.56, 0.56, 0.3))
    m.box((0.56, -0.56, 0.15), (0.6, 0.56, 0.3))
    return m, "a box pallet 1.2 x 1.2 x 0.3 m: deck on nine blocks, with a low rim"


def conveyor():
    """A belt conveyor 2 m long (the viewer stretches it to the belt's length) on two leg frames."""
    m = Mesh()
    m.box((-0.95, -0.35, 0.8), (0.95, 0.35, 0.86))  # belt
    m.box((-1.0, -0.4, 0.76), (1.0, -0.35, 0.9))  # side rails
    m.box((-1.0, 0.35, 0.76), (1.0, 0.4, 0.9))
    for x in (-0.95, 0.95):
        m.prism((x, 0.0, 0.83), 0.03, 0.35, "y")  # end rollers
    for x in (-0.8, 0.8):
        for y in (-0.35, 0.35):
            m.box((x - 0.03, y - 0.03, 0.0), (x + 0.03, y + 0.03, 0.76))  # legs
        m.box((x - 0.03, -0.35, 0.15), (x + 0.03, 0.35, 0.2))  # cross brace
    return m, "a belt conveyor 2.0 x 0.8 x 0.9 m on two leg frames, stretched to the belt's length"


def source():
    """Where parts come from: a pallet with crates stacked two high."""
    m = Mesh()
    m.box((-0.5, -0.5, 0.0), (0.5, 0.5, 0.1))  # pallet
    for x in (-0.24, 0.24):
        for y in (-0.24, 0.24):
            m.box((x - 0.22, y - 0.22, 0.1), (x + 0.22, y + 0.22, 0.3))
    m.box((-0.22, -0.22, 0.3), (0.22, 0.22, 0.5))
    return m, "a pallet of crates 1.0 x 1.0 x 0.5 m: four crates with one on top"


def sink():
    """Where parts leave: an open bin with a chute sloping into it."""
    m = Mesh()
    m.box((-0.5, -0.5, 0.0), (0.5, 0.5, 0.05))  # floor
    m.box((-0.5, -0.5, 0.05), (0.5, -0.45, 0.5))  # walls
    m.box((-0.5, 0.45, 0.05), (0.5, 0.5, 0.5))
    m.box((-0.5, -0.45, 0.05), (-0.45, 0.45, 0.5))
    m.box((0.45, -0.45, 0.05), (0.5, 0.45, 0.5))
    # The chute: a slab from the rim on the -x side (where parts come from) down into the bin.
    m.face([(-0.45, -0.3, 0.5), (-0.05, -0.3, 0.25), (-0.05, 0.3, 0.25), (-0.45, 0.3, 0.5)])
    m.face([(-0.45, 0.3, 0.47), (-0.05, 0.3, 0.22), (-0.05, -0.3, 0.22), (-0.45, -0.3, 0.47)])
    return m, "an open bin 1.0 x 1.0 x 0.5 m with a chute into it"


def operator():
    """A person 1.75 m tall, facing -y (towards the viewer's default camera)."""
    m = Mesh()
    m.box((-0.17, -0.1, 0.0), (-0.03, 0.1, 0.85))  # legs
    m.box((0.03, -0.1, 0.0), (0.17, 0.1, 0.85))
    m.box((-0.2, -0.12, 0.85), (0.2, 0.12, 1.45))  # torso
    m.box((-0.27, -0.06, 0.8), (-0.2, 0.06, 1.42))  # arms
    m.box((0.2, -0.06, 0.8), (0.27, 0.06, 1.42))
    m.box((-0.04, -0.04, 1.45), (0.04, 0.04, 1.52))  # neck
    m.prism((0.0, 0.0, 1.635), 0.1, 0.115, "z")  # head
    return m, "a person 1.75 m tall, 0.54 m across the shoulders"


def vehicle():
    """An AGV: a low chassis on four wheels, a lifting load deck, a safety scanner at the front."""
    m = Mesh()
    m.box((-0.6, -0.4, 0.06), (0.6, 0.4, 0.26))  # chassis
    for x in (-0.42, 0.42):
        for y in (-0.36, 0.36):
            m.prism((x, y, 0.075), 0.075, 0.03, "y")  # wheels, in the chassis' wheel arches
    m.box((-0.5, -0.35, 0.26), (0.5, 0.35, 0.3))  # load deck
    m.box((0.6, -0.15, 0.12), (0.64, 0.15, 0.2))  # scanner, at the +x end (its heading)
    return m, "an AGV 1.24 x 0.8 x 0.3 m: low chassis on four wheels, load deck, front scanner"


MODELS = {
    "station": station,
    "buffer": buffer,
    "conveyor": conveyor,
    "source": source,
    "sink": sink,
    "operator": operator,
    "vehicle": vehicle,
}


def number(value):
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def obj_text(name, mesh, description):
    (x0, x1), (y0, y1), (z0, z1) = mesh.bounds()
    lines = [
        f"# linetwin default model for a {name}: {description}.",
        f"# Bounds {number(x1 - x0)} x {number(y1 - y0)} x {number(z1 - z0)} m; x along the line,"
        " y across, z up, standing on z = 0, centred on x = y = 0.",
        f"# Written for linetwin by tools/generate_default_models.py (do not edit); {LICENCE}.",
        f"o {name}",
    ]
    lines += ["v " + " ".join(number(c) for c in v) for v in mesh.vertices]
    lines += ["vn " + " ".join(number(c) for c in n) for n in mesh.normals]
    lines += ["f " + " ".join(f"{v}//{n}" for v in face) for face, n in mesh.faces]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default_out = pathlib.Path(__file__).resolve().parent.parent / "assets" / "models"
    parser.add_argument("--out", type=pathlib.Path, default=default_out)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 naming each file that differs from what the script writes",
    )
    args = parser.parse_args()
    stale = []
    for name, build in MODELS.items():
        mesh, description = build()
        text = obj_text(name, mesh, description)
        path = args.out / f"{name}.obj"
        if args.check:
            if not path.is_file() or path.read_text() != text:
                stale.append(str(path))
        else:
            path.write_text(text)
    if args.check:
        # Every model is listed with its licence.
        licences = args.out.parent / "LICENSES.md"
        listed = licences.read_text() if licences.is_file() else ""
        unlisted = [f"models/{name}.obj" for name in MODELS if f"`models/{name}.obj`" not in listed]
        if unlisted:
            print(
                f"generate_default_models.py: {licences} does not list " + ", ".join(unlisted),
                file=sys.stderr,
            )
            return 1
    if stale:
        print(
            "generate_default_models.py: these files are not what the script writes (run "
            "tools/generate_default_models.py and commit the result): " + ", ".join(stale),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
