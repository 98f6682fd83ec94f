"""Plant layouts from other tools: AutomationML (IEC 62714) files read into scenes, as
`linetwin import` does (docs/automationml.md).

    layout = linetwin.import_aml("plant.aml")
    layout.warnings                 # defaults applied, models not found: "FILE:LINE: ..."
    layout.scene.run(reps=10)       # the imported scene, loaded and validated
"""
import os
from typing import Any, Dict, List, Optional, Union

from linetwin import Scene, _core

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

