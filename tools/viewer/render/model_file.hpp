// Reading a 3D model file (glTF/GLB, OBJ, STL, COLLADA and whatever else Assimp reads) into one
// TriangleMesh: every mesh of every node, with the node transforms applied, merged, turned z up
// and moved to stand on z = 0 centred on x = y = 0. Materials and textures are dropped: the
// viewer colours a model by its element's state, and one mesh per file is one draw call.
#pragma once

#include <string>
#include <variant>

#include "triangle_mesh.hpp"

namespace linetwin::viewer {

// The mesh, or why the file could not be read (Assimp's message, or "no triangles").
std::variant<TriangleMesh, std::string> read_model_file(const std::string& path);

}  // namespace linetwin::viewer
