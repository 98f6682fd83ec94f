// Snapshot files (`linetwin_snapshot: 1`, YAML): a LineSnapshot written by `linetwin live
// --write-state`, `linetwin replay --write-state` or `linetwin run --snapshot`, read by `linetwin
// run --from-snapshot` and by scenarios (`start:`). docs/snapshot-format.md has the format; a user
// may edit one (a station that stays down for 4 h: `down_for: 4h`).
#pragma once

#include <iosfwd>
#include <string>

#include "plant/line_snapshot.hpp"
#include "plant/scene.hpp"

namespace linetwin {

// The format version this build reads and writes (the `linetwin_snapshot` key).
inline constexpr int kSnapshotFormatVersion = 1;

// The snapshot as the YAML text of a snapshot file, one line per station and buffer, with numbers
// that read back to the same doubles: parse_snapshot gives back `snapshot` exactly. Its origin
// must be simulation, live or replay, its times finite, and its texts (scene, each source) one
// line of UTF-8 without control characters, or the file written is one the reader refuses.
std::string snapshot_yaml(const LineSnapshot& snapshot);

// Reads the snapshot file at `path` and checks it against `scene`: an id that is not a station or
// buffer of the scene, a field of the wrong type or out of range, more parts than servers, a level
// above the buffer's capacity, are InputErrors naming the file, line and field; a file longer than
// the scene allows (docs/snapshot-format.md#limits) is refused before it is read. Stations the file
// leaves out are idle (nothing known, no parts), buffers empty (level 0, source "not in the file:
// empty"). The result lists every station and buffer of the scene in scene order.
LineSnapshot read_snapshot_file(const std::string& path, const Scene& scene);
// The same, for snapshot text; `display_name` names it in errors.
LineSnapshot parse_snapshot(const std::string& text, const std::string& display_name,
                            const Scene& scene);

}  // namespace linetwin
