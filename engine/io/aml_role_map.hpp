// Role classes of AutomationML (CAEX) to linetwin's element kinds: the built-in table for the
// standard role libraries (AutomationMLBaseRoleClassLib, AutomationMLDMIRoleClassLib,
// AutomationMLExtendedRoleClassLib) and a user's --role-map file on top of it. docs/automationml.md
// gives the table and says why each entry maps as it does.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace linetwin {

// What an InternalElement of a role becomes. kResource is decided by the flow (a resource that
// only sends parts is a source, one that only receives them a sink, any other a station) or, when
// it holds InternalElements, walked through as kStructure. kStructure is walked through: its
// children are imported, itself is not. kSkip is left out with everything inside it.
enum class AmlRole { kSource, kBuffer, kStation, kConveyor, kSink, kResource, kStructure, kSkip };

std::string_view to_string(AmlRole role);
std::optional<AmlRole> aml_role_from_string(std::string_view name);

// Role class paths (LIBRARY/CLASS/SUBCLASS, without an `alias@` prefix) to roles.
using AmlRoleMap = std::map<std::string, AmlRole, std::less<>>;

// The built-in table for the standard role libraries.
const AmlRoleMap& standard_aml_roles();

// A role map file: `roles: {LIBRARY/CLASS: KIND, ...}` with KIND one of source, buffer, station,
// conveyor, sink, resource, structure, skip. InputError with file, line and column otherwise.
AmlRoleMap read_aml_role_map(const std::string& path);
AmlRoleMap parse_aml_role_map(std::string_view yaml, const std::string& display_name);

}  // namespace linetwin
