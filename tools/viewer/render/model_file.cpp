#include "model_file.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include <assimp/postprocess.h>
#include <assimp/scene.h>
#include <assimp/Importer.hpp>
#include <glm/geometric.hpp>

namespace linetwin::viewer {

namespace {

// glTF is y-up by its specification, and Assimp turns COLLADA files y-up whatever their
// <up_axis>; OBJ and STL carry no convention, and the shop-floor one (z up, as ROS, Gazebo and the
// models in assets/ use) is taken for them.
bool is_y_up(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".gltf" || extension == ".glb" || extension == ".dae";
}

void append_node(const aiScene& scene, const aiNode& node, const aiMatrix4x4& parent,
                 TriangleMesh& out) {
  const aiMatrix4x4 transform = parent * node.mTransformation;
  // Normals go through the inverse transpose, so that scaled nodes keep them perpendicular.
  aiMatrix3x3 normal_transform(transform);
  normal_transform.Inverse().Transpose();
  for (unsigned m = 0; m < node.mNumMeshes; ++m) {
    const aiMesh& mesh = *scene.mMeshes[node.mMeshes[m]];
    const auto first = static_cast<std::uint32_t>(out.positions.size());
    for (unsigned v = 0; v < mesh.mNumVertices; ++v) {
      const aiVector3D p = transform * mesh.mVertices[v];
      aiVector3D n = mesh.HasNormals() ? normal_transform * mesh.mNormals[v] : aiVector3D(0, 0, 1);
      n.NormalizeSafe();
      out.positions.emplace_back(p.x, p.y, p.z);
      out.normals.emplace_back(n.x, n.y, n.z);
    }
    for (unsigned f = 0; f < mesh.mNumFaces; ++f) {
      const aiFace& face = mesh.mFaces[f];
      if (face.mNumIndices != 3) continue;  // points and lines left by triangulation
      for (unsigned k = 0; k < 3; ++k)
        out.indices.push_back(first + face.mIndices[k]);
    }
  }
  for (unsigned c = 0; c < node.mNumChildren; ++c) {
    append_node(scene, *node.mChildren[c], transform, out);
  }
}

}  // namespace

std::variant<TriangleMesh, std::string> read_model_file(const std::string& path) {
  Assimp::Importer importer;
  const aiScene* scene =
      importer.ReadFile(path, aiProcess_Triangulate | aiProcess_JoinIdenticalVertices |
                                  aiProcess_GenSmoothNormals | aiProcess_SortByPType);
  if (scene == nullptr || scene->mRootNode == nullptr) {
    return std::string(importer.GetErrorString());
  }
  TriangleMesh mesh;
  append_node(*scene, *scene->mRootNode, aiMatrix4x4(), mesh);
  if (mesh.triangle_count() == 0) return std::string("the file has no triangles");

  if (is_y_up(path)) {
    // (x, y, z) y-up becomes (x, -z, y) z-up: a quarter turn about x.
    for (glm::vec3& p : mesh.positions)
      p = {p.x, -p.z, p.y};
    for (glm::vec3& n : mesh.normals)
      n = {n.x, -n.z, n.y};
  }
  const Box3 bounds = mesh.bounds();
  const glm::vec3 offset{(bounds.min.x + bounds.max.x) / 2, (bounds.min.y + bounds.max.y) / 2,
                         bounds.min.z};
  for (glm::vec3& p : mesh.positions)
    p -= offset;
  return mesh;
}

}  // namespace linetwin::viewer
