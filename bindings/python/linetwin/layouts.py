"""Plant layouts from other tools and for them: AutomationML (IEC 62714) files read into scenes,
as `linetwin import` does, and scenes written as AutomationML or DTDL, as `linetwin export` does
(docs/automationml.md, docs/dtdl.md).

    layout = linetwin.import_aml("plant.aml")
    layout.warnings                 # defaults applied, models not found: "FILE:LINE: ..."
    layout.scene.run(reps=10)       # the imported scene, loaded and validated
    linetwin.export_scene(scene, "line.aml")                  # AutomationML (CAEX 3.0)
    linetwin.export_scene(scene, "line.json", format="dtdl")  # DTDL v3 models, twin graph beside
"""
import os
import tempfile
from typing import Any, Dict, List, Optional, Union

from linetwin import InputError, Scene, _core

PathLike = Union[str, "os.PathLike[str]"]


class Layout:
    """An imported layout: `scene` (a linetwin.Scene), its text `to_yaml()` (what `linetwin import
    FILE -o -` writes), `warnings` (each "FILE:LINE: ...", as the CLI prints them after
    "linetwin import: warning: "), and what was read: `elements` (dicts of id, name, type, line
    in the file, pose {x_m, y_m, z_m, yaw_deg} and model) and `links` (dicts of name, from, to,
    line), in document order. Plain data: it pickles."""

    def __init__(self, outputs: Dict[str, Any], name: str):
        self._yaml: str = outputs["scene"]
        self._name = name
        self.warnings: List[str] = list(outputs["warnings"])
        self.elements: List[Dict[str, Any]] = [dict(e) for e in outputs["elements"]]
        self.links: List[Dict[str, Any]] = [dict(link) for link in outputs["links"]]

    @property
    def scene(self) -> Scene:
        """The imported scene; its models are relative to the scene_directory of the import."""
        return Scene.from_yaml(self._yaml, self._name)

    def to_yaml(self) -> str:
        return self._yaml

    def __reduce__(self):
        return (Layout, ({"scene": self._yaml, "warnings": self.warnings,
                          "elements": self.elements, "links": self.links}, self._name))

    def __repr__(self) -> str:
        return (f"<linetwin.Layout {self._name}: {len(self.elements)} elements, "
                f"{len(self.links)} links, {len(self.warnings)} warnings>")


def import_aml(path: PathLike, role_map: Optional[PathLike] = None, layout_only: bool = False,
               lenient: bool = False, scene_directory: PathLike = ".") -> Layout:
    """Reads the AutomationML file at `path` (CAEX 2.15 or 3.0) into a scene, as `linetwin import
    FILE -o -` does with the same flags: `role_map` a YAML file of role classes added to the
    standard table, `layout_only` the elements and poses without the flow (a scene that loads,
    whose results mean nothing), `lenient` leaves out elements whose role class has no mapping
    (a warning) instead of refusing the file. Models are written relative to `scene_directory`
    (where the scene will be saved; default the current folder). The GIL is released while it
    reads. InputError names the file, the line and the element at fault."""
    for name, flag in (("layout_only", layout_only), ("lenient", lenient)):
        if not isinstance(flag, bool):
            raise TypeError(f"expected {name} as bool, found {type(flag).__name__}")
    try:
        file = os.fspath(path)
        directory = os.fspath(scene_directory)
        role_map_file = None if role_map is None else os.fspath(role_map)
    except TypeError as e:
        raise TypeError(f"expected a path (str or os.PathLike): {e}") from None
    if not isinstance(file, str) or not isinstance(directory, str) or (
            role_map_file is not None and not isinstance(role_map_file, str)):
        raise TypeError("expected paths as str, not bytes")
    outputs = _core.import_aml(file, role_map_file, layout_only, lenient, directory)
    return Layout(outputs, os.path.basename(file) or file)



def _scene_file(scene: Union[Scene, PathLike]) -> str:
    """The file to export: a path, or the file a Scene was loaded from, which must still hold
    its text (a scene changed by with_changes() or built from text has no file of its own)."""
    if isinstance(scene, Scene):
        path = scene.path
        try:
            # newline="": the file's text as the loader read it, CRLF line ends kept.
            with open(path, encoding="utf-8", newline="") as f:
                same = f.read() == scene.to_yaml()
        except OSError:
            same = False
        if not same:
            raise InputError(f"scene '{scene.name}' is not the text of a file (built from text, "
                             f"or changed by with_changes()): expected a scene loaded from a "
                             f"file; save scene.to_yaml() to a file and export that",
                             field="scene")
        return path
    try:
        file = os.fspath(scene)
    except TypeError:
        raise TypeError(f"expected a linetwin.Scene or a scene file's path, found "
                        f"{type(scene).__name__}") from None
    if not isinstance(file, str):
        raise TypeError("expected paths as str, not bytes")
    return file


def _write_whole(path: str, text: str) -> None:
    """Writes `text` to `path` whole or not at all: into a new file beside it, then renamed."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=os.path.basename(path) + ".",
                                     suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def export_scene(scene: Union[Scene, PathLike], path: PathLike, format: str = "aml") -> List[str]:
    """Writes a scene as `linetwin export SCENE --format FORMAT -o PATH` does, the same bytes
    (but for the AutomationML file's time of writing): `format` "aml", an AutomationML file that
    import_aml reads back to the same scene, or "dtdl", DTDL v3 models in PATH (a .json file)
    and the twin graph beside it in PATH's stem + ".twins.ndjson". `scene` is a linetwin.Scene
    loaded from a file, or a scene file's path. Returns the files written, each whole or not at
    all. InputError names the file, line and field at fault; TypeError a wrong argument."""
    if not isinstance(format, str):
        raise TypeError(f"expected format as str, found {type(format).__name__}")
    if format not in ("aml", "dtdl"):
        raise InputError(f"format '{format}': expected 'aml' or 'dtdl'", field="format")
    scene_file = _scene_file(scene)
    try:
        output = os.fspath(path)
    except TypeError:
        raise TypeError(f"expected a path (str or os.PathLike), found {type(path).__name__}") \
            from None
    if not isinstance(output, str):
        raise TypeError("expected paths as str, not bytes")
    if format == "dtdl" and not output.endswith(".json"):
        raise InputError(f"{output}: expected a .json file for format 'dtdl' (the models; the "
                         f"twin graph is written beside it as FILE.twins.ndjson)", file=output,
                         field="path")
    outputs = _core.export_scene(scene_file, output, format)
    written = []
    for file, text in outputs["files"]:
        try:
            _write_whole(file, text)
        except OSError as e:
            raise InputError(f"{file}: cannot write: {e.strerror}", file=file,
                             field="path") from None
        written.append(file)
    return written
