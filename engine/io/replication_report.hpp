// Every KPI of every replication (experiment/replication_table.hpp names them), for users who
// compute what the summary does not give: a wide CSV (one row per replication, one column per
// KPI; a leading variant column for a sweep) and JSON (an array of rows). A KPI that a variant's
// line does not have (a buffer only one variant inserts) is empty in the CSV and absent in JSON;
// an undefined value (NaN) is empty, resp. null.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "plant/replication_result.hpp"
#include "plant/scene.hpp"

namespace linetwin {

struct VariantReplications {
  std::string name;  // empty for a run's only scene
  const Scene* scene = nullptr;
  const std::vector<ReplicationResult>* replications = nullptr;
};

// `with_variant`: the leading variant column (CSV) or field (JSON).
void write_replications_csv(std::ostream& out, const std::vector<VariantReplications>& variants,
                            bool with_variant);
void write_replications_json(std::ostream& out, const std::vector<VariantReplications>& variants,
                             bool with_variant);

}  // namespace linetwin
