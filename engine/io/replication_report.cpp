#include "io/replication_report.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "experiment/replication_table.hpp"
#include "io/csv_field.hpp"
#include "io/json_values.hpp"

namespace linetwin {
namespace {

std::string csv_value(const ReplicationTable& table, const ReplicationResult& r,
                      std::size_t column) {
  if (table.type(column) == ReplicationTable::Type::kCount)
    return std::to_string(table.count(r, column));
  return csv_number(table.value(r, column));
}

}  // namespace

void write_replications_csv(std::ostream& out, const std::vector<VariantReplications>& variants,
                            bool with_variant) {
  std::vector<ReplicationTable> tables;
  std::vector<std::string> names;  // the union, in first-seen order
  for (const VariantReplications& v : variants) {
    tables.emplace_back(*v.scene);
    for (const std::string& name : tables.back().names()) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  bool first = !with_variant;
  if (with_variant) out << "variant";
  for (const std::string& name : names) {
    if (!first) out << ',';
    first = false;
    out << csv_field(name);
  }
  out << '\n';
  for (std::size_t v = 0; v < variants.size(); ++v) {
    const ReplicationTable& table = tables[v];
    std::vector<std::optional<std::size_t>> columns;
    for (const std::string& name : names)
      columns.push_back(table.find(name));
    for (const ReplicationResult& r : *variants[v].replications) {
      bool first_field = !with_variant;
      if (with_variant) out << csv_field(variants[v].name);
      for (const auto& column : columns) {
        if (!first_field) out << ',';
        first_field = false;
        if (column) out << csv_value(table, r, *column);
      }
      out << '\n';
    }
  }
}

void write_replications_json(std::ostream& out, const std::vector<VariantReplications>& variants,
                             bool with_variant) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const VariantReplications& v : variants) {
    const ReplicationTable table(*v.scene);
    for (const ReplicationResult& r : *v.replications) {
      nlohmann::ordered_json row;
      if (with_variant) row["variant"] = v.name;
      for (std::size_t c = 0; c < table.size(); ++c) {
        if (table.type(c) == ReplicationTable::Type::kCount) {
          row[table.name(c)] = table.count(r, c);
        } else {
          row[table.name(c)] = json_values::number(table.value(r, c));
        }
      }
      rows.push_back(row);
    }
  }
  out << rows.dump(2) << '\n';
}

}  // namespace linetwin
