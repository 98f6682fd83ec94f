#include "mesh_lod.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <glm/common.hpp>
#include <glm/geometric.hpp>

namespace linetwin::viewer {

namespace {

// Grid resolutions of levels 1, 2, 3 (cells along the longest side), and the on-screen radius in
// pixels from which each level is good enough: below about 150 px a 16-cell grid's error (a
// sixteenth of the size, at most 10 px) hides in the shading; below 40 px a 6-cell grid's does;
// below 12 px the object is a blob of a dozen pixels and a 2-cell grid (at most a box) suffices.
constexpr std::array<int, 3> kClusterCells = {16, 6, 2};
constexpr std::array<float, 3> kMinRadiusPx = {150.0f, 40.0f, 12.0f};
// A coarser level must have at most this share of the triangles of the previous one to be kept.
constexpr double kWorthwhileShare = 0.6;
constexpr std::uint32_t kUnused = 0xffffffffu;

}  // namespace

TriangleMesh cluster_vertices(const TriangleMesh& mesh, int cells) {
  cells = std::clamp(cells, 1, 126);
  const Box3 bounds = mesh.bounds();
  const glm::vec3 size = bounds.size();
  const float longest = std::max({size.x, size.y, size.z});
  // Cubic cells, except that a thin side keeps a few cells of its own: a long conveyor cut into
  // cubes of a sixteenth of its length would have its belt, frame and legs averaged into one
  // twisted strip.
  const int thin_side_cells = std::min(cells, 4);
  const auto cell_along = [&](float side) {
    if (longest <= 0.0f || side <= 0.0f) return 1.0f;
    const int n = std::max(thin_side_cells,
                           static_cast<int>(std::ceil(static_cast<float>(cells) * side / longest)));
    return side / static_cast<float>(std::min(n, cells));
  };
  const glm::vec3 cell{cell_along(size.x), cell_along(size.y), cell_along(size.z)};

  // Each vertex's cell, as one integer key; the clusters in the order their cells first appear.
  const auto cell_of = [&](const glm::vec3& p) {
    const glm::vec3 c = glm::floor((p - bounds.min) / cell);
    const auto clamp = [&](float v) {
      return static_cast<std::uint64_t>(std::clamp(v, 0.0f, static_cast<float>(cells)));
    };
    return (clamp(c.x) << 42) | (clamp(c.y) << 21) | clamp(c.z);
  };
  std::unordered_map<std::uint64_t, std::uint32_t> cluster_of_cell;
  std::vector<std::uint32_t> cluster_of_vertex(mesh.positions.size());
  std::vector<glm::vec3> position_sum;
  std::vector<glm::vec3> normal_sum;
  std::vector<float> members;
  for (std::size_t v = 0; v < mesh.positions.size(); ++v) {
    const auto [it, added] = cluster_of_cell.try_emplace(
        cell_of(mesh.positions[v]), static_cast<std::uint32_t>(position_sum.size()));
    if (added) {
      position_sum.emplace_back(0.0f);
      normal_sum.emplace_back(0.0f);
      members.push_back(0.0f);
    }
    const std::uint32_t c = it->second;
    cluster_of_vertex[v] = c;
    position_sum[c] += mesh.positions[v];
    normal_sum[c] += mesh.normals[v];
    members[c] += 1.0f;
  }

  TriangleMesh out;
  out.positions.reserve(position_sum.size());
  out.normals.reserve(position_sum.size());
  for (std::size_t c = 0; c < position_sum.size(); ++c) {
    out.positions.push_back(position_sum[c] / members[c]);
    const float length = glm::length(normal_sum[c]);
    // Opposite normals (both faces of a thin wall) may cancel out; any unit normal will do then.
    out.normals.push_back(length > 1e-6f ? normal_sum[c] / length : glm::vec3(0.0f, 0.0f, 1.0f));
  }
  // A triangle is identified by its corners rotated so that the smallest comes first, which keeps
  // its winding: two faces of a thin wall (opposite windings) both stay. There are at most
  // (cells + 1)^3 clusters, so 21 bits per corner hold any of them for cells < 127.
  std::unordered_set<std::uint64_t> seen;
  for (std::size_t t = 0; t + 2 < mesh.indices.size(); t += 3) {
    std::array<std::uint32_t, 3> corner = {cluster_of_vertex[mesh.indices[t]],
                                           cluster_of_vertex[mesh.indices[t + 1]],
                                           cluster_of_vertex[mesh.indices[t + 2]]};
    if (corner[0] == corner[1] || corner[1] == corner[2] || corner[0] == corner[2]) continue;
    std::rotate(corner.begin(), std::min_element(corner.begin(), corner.end()), corner.end());
    const std::uint64_t key = (std::uint64_t{corner[0]} << 42) | (std::uint64_t{corner[1]} << 21) |
                              std::uint64_t{corner[2]};
    if (!seen.insert(key).second) continue;
    out.indices.insert(out.indices.end(), corner.begin(), corner.end());
  }
  // Clusters that only collapsed triangles touched are dropped: a software renderer shades every
  // vertex in an indexed draw's range, used or not.
  std::vector<std::uint32_t> renumbered(out.positions.size(), kUnused);
  TriangleMesh compact;
  for (std::uint32_t& index : out.indices) {
    if (renumbered[index] == kUnused) {
      renumbered[index] = static_cast<std::uint32_t>(compact.positions.size());
      compact.positions.push_back(out.positions[index]);
      compact.normals.push_back(out.normals[index]);
    }
    index = renumbered[index];
  }
  compact.indices = std::move(out.indices);
  return compact;
}

std::vector<TriangleMesh> build_levels_of_detail(const TriangleMesh& mesh) {
  std::vector<TriangleMesh> levels{mesh};
  for (const int cells : kClusterCells) {
    TriangleMesh coarser = cluster_vertices(mesh, cells);
    const double share =
        static_cast<double>(coarser.triangle_count()) /
        static_cast<double>(std::max<std::size_t>(1, levels.back().triangle_count()));
    if (coarser.triangle_count() > 0 && share <= kWorthwhileShare)
      levels.push_back(std::move(coarser));
  }
  return levels;
}

int choose_level_of_detail(float radius_px, int levels) {
  int level = 0;
  while (level < static_cast<int>(kMinRadiusPx.size()) && radius_px < kMinRadiusPx[level])
    ++level;
  return std::min(level, levels - 1);
}

}  // namespace linetwin::viewer
