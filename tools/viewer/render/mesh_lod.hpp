// Levels of detail: simplified copies of a model's mesh made once at load time, and the choice of
// one per instance and frame by how large it appears on screen.
//
// Software rasterisers (llvmpipe, what CI and remote desktops have) draw about 20 million
// triangles per second, so 3,000 instances of a 2,000-triangle model would take 0.3 s a frame.
// Far away a machine covers a few pixels and its detail is invisible; there a mesh of a few dozen
// triangles looks the same. Simplification is vertex clustering (Rossignac and Borrel, 1993): the
// bounding box is cut into a grid of (nearly) cubic cells, every vertex moves to the mean of its
// cell's vertices, and triangles whose corners fall into fewer than three cells disappear. It is
// one pass, needs no connectivity, and works on the messy triangle soups that CAD exports are.
#pragma once

#include <vector>

#include "triangle_mesh.hpp"

namespace linetwin::viewer {

// The mesh with its vertices clustered on a grid of `cells` cells along the longest side of its
// bounding box (1 to 126): cubic cells, but at least min(cells, 4) along every other side, so that
// thin shapes keep their cross-section. Triangles that collapse or repeat another are dropped.
TriangleMesh cluster_vertices(const TriangleMesh& mesh, int cells);

// Level 0 is the mesh itself; each further level is clustered more coarsely. A level is kept only
// when it has markedly fewer triangles than the one before, so a plain box has one level.
std::vector<TriangleMesh> build_levels_of_detail(const TriangleMesh& mesh);

// The level to draw for an object whose bounding sphere appears `radius_px` pixels large, among
// `levels` levels (the coarsest when it is smaller than all thresholds).
int choose_level_of_detail(float radius_px, int levels);

}  // namespace linetwin::viewer
