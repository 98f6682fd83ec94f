// The OpenGL functions the renderer calls, declared straight from the system headers. On Linux,
// libGL (glvnd, with Mesa behind it) exports every core entry point up to 4.x, so
// GL_GLEXT_PROTOTYPES gives direct prototypes and no loader (glad, libepoxy) is needed: one
// dependency less, and nothing generated in the tree. A driver without 3.3 is caught when the
// context is created (app/gl_window.cpp), before any of these is called. Dear ImGui's OpenGL 3
// backend keeps its own small loader, which is independent of this.
#pragma once

#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/gl.h>
#include <GL/glext.h>
