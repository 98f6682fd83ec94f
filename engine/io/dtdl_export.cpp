// The models are written with nlohmann-json as DTDL v3 with the QuantitativeTypes extension, so
// that durations, lengths, speeds and angles carry their semantic type and unit (a bare double
// says neither). What every element shares lives in one Element interface that each kind's
// interface extends: a relationship that targets Element then takes a twin of any kind, and a
// query for Element finds every twin of the line. The parameters are the scene's means where it
// has a distribution: DTDL properties hold values, not distributions.
#include "io/dtdl_export.hpp"

#include <array>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "io/scene_file.hpp"

namespace linetwin {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kContext = "dtmi:dtdl:context;3";
constexpr std::string_view kQuantitativeTypes = "dtmi:dtdl:extension:quantitativeTypes;1";

// Each kind's model, in ElementType order.
constexpr std::array<std::string_view, 5> kKindModels = {
    "dtmi:linetwin:Source;1", "dtmi:linetwin:Buffer;1", "dtmi:linetwin:Station;1",
    "dtmi:linetwin:Sink;1", "dtmi:linetwin:Conveyor;1"};
static_assert(kKindModels.size() == kElementTypes);

Json interface(std::string_view id, std::string_view display_name, std::string_view description) {
  Json model;
  model["@context"] = Json::array({kContext, kQuantitativeTypes});
  model["@id"] = id;
  model["@type"] = "Interface";
  model["displayName"] = display_name;
  model["description"] = description;
  model["contents"] = Json::array();
  return model;
}

Json content(std::string_view type, std::string_view name, Json schema,
             std::string_view description) {
  Json element;
  element["@type"] = type;
  element["name"] = name;
  element["schema"] = std::move(schema);
  element["description"] = description;
  return element;
}

// A Property with a semantic type and unit (QuantitativeTypes), held as a double.
Json quantity(std::string_view name, std::string_view semantic_type, std::string_view unit,
              std::string_view description) {
  Json element = content("Property", name, "double", description);
  element["@type"] = Json::array({"Property", semantic_type});
  element["unit"] = unit;
  return element;
}

Json relationship(std::string_view name, std::string_view description) {
  Json element;
  element["@type"] = "Relationship";
  element["name"] = name;
  element["target"] = kDtdlElementModel;
  element["description"] = description;
  return element;
}

Json element_interface(std::span<const std::string_view> twin_states) {
  Json model = interface(kDtdlElementModel, "Line element",
                         "What every element of a linetwin line has: its state, counters, pose "
                         "and the elements it feeds (docs/dtdl.md).");
  Json values = Json::array();
  for (std::string_view state : twin_states) {
    Json value;
    value["name"] = state;
    value["enumValue"] = state;
    values.push_back(std::move(value));
  }
  Json states;
  states["@type"] = "Enum";
  states["valueSchema"] = "string";
  states["enumValues"] = std::move(values);
  Json& contents = model["contents"];
  contents.push_back(content("Telemetry", "state", std::move(states),
                             "The twin's state, as linetwin's twins name them (docs/twins.md)."));
  contents.push_back(content("Telemetry", "reason", "string",
                             "Why it is in its state, mostly why it is down; empty for none."));
  contents.push_back(
      content("Telemetry", "good", "long", "Parts passed on downstream since the start."));
  contents.push_back(content("Telemetry", "scrap", "long", "Parts scrapped since the start."));
  contents.push_back(quantity("x", "Length", "metre", "Position on the shop floor."));
  contents.push_back(quantity("y", "Length", "metre", "Position on the shop floor."));
  contents.push_back(quantity("z", "Length", "metre", "Height on the shop floor."));
  contents.push_back(
      quantity("yaw", "Angle", "degreeOfArc", "Heading about the vertical axis, from x to y."));
  contents.push_back(content("Property", "model", "string",
                             "The 3D model's path, relative to the scene file; absent for none."));
  contents.push_back(relationship("feedsInto", "An element this one hands its parts to."));
  return model;
}

Json kind_interface(ElementType type) {
  const std::string_view id = kKindModels[static_cast<std::size_t>(type)];
  Json model;
  Json contents = Json::array();
  switch (type) {
    case ElementType::kSource:
      model = interface(id, "Source", "Releases parts into the line.");
      contents.push_back(quantity("interarrivalTime", "TimeSpan", "second",
                                  "Mean time between arrivals; absent for an unlimited supply "
                                  "or an order source."));
      contents.push_back(content("Property", "unlimitedSupply", "boolean",
                                 "A part is always ready for the element downstream."));
      break;
    case ElementType::kBuffer:
      model = interface(id, "Buffer", "Holds parts between elements.");
      contents.push_back(content("Property", "capacity", "long",
                                 "Parts it holds at most; absent when unlimited."));
      break;
    case ElementType::kStation:
      model = interface(id, "Station", "Works on parts, on one or more servers.");
      contents.push_back(content("Property", "servers", "integer", "Parts worked on at once."));
      contents.push_back(
          quantity("processingTime", "TimeSpan", "second", "Mean processing time of a part."));
      contents.push_back(quantity("timeToFailure", "TimeSpan", "second",
                                  "Mean time to failure; absent when it never breaks down."));
      contents.push_back(quantity("timeToRepair", "TimeSpan", "second",
                                  "Mean time to repair; absent when it never breaks down."));
      break;
    case ElementType::kSink:
      model = interface(id, "Sink", "Takes the finished parts out of the line.");
      break;
    case ElementType::kConveyor:
      model = interface(id, "Conveyor", "Carries parts from one element to the next.");
      contents.push_back(quantity("length", "Length", "metre", "Length of the belt."));
      contents.push_back(quantity("speed", "Velocity", "metrePerSecond", "Speed of the belt."));
      contents.push_back(quantity("spacing", "Length", "metre",
                                  "Least distance from the front of one part to the next's."));
      contents.push_back(content("Property", "accumulating", "boolean",
                                 "Parts queue at the exit while the belt moves on under them."));
      break;
  }
  model["extends"] = kDtdlElementModel;
  model["contents"] = std::move(contents);
  return model;
}

Json line_interface() {
  Json model = interface(kDtdlLineModel, "Line", "A linetwin scene: the line and its elements.");
  model["contents"].push_back(content("Property", "name", "string", "The scene's name."));
  model["contents"].push_back(relationship("contains", "An element of the line."));
  return model;
}

Json twin(const std::string& id, std::string_view model) {
  Json twin;
  twin["$dtId"] = id;
  twin["$metadata"]["$model"] = model;
  return twin;
}

Json element_twin(const Scene& scene, const Element& e) {
  Json values = twin(e.id, kKindModels[static_cast<std::size_t>(e.type)]);
  values["x"] = e.pose.x_m;
  values["y"] = e.pose.y_m;
  values["z"] = e.pose.z_m;
  values["yaw"] = e.pose.yaw_deg;
  if (!e.model.empty()) values["model"] = e.model;
  switch (e.type) {
    case ElementType::kSource: {
      const SourceSpec& spec = scene.source_spec(e);
      if (!spec.unlimited_supply && spec.orders.empty())
        values["interarrivalTime"] = spec.interarrival.mean();
      values["unlimitedSupply"] = spec.unlimited_supply;
      break;
    }
    case ElementType::kBuffer: {
      const BufferSpec& spec = scene.buffer_spec(e);
      if (spec.capacity != BufferSpec::kUnlimited) values["capacity"] = spec.capacity;
      break;
    }
    case ElementType::kStation: {
      const StationSpec& spec = scene.station_spec(e);
      values["servers"] = spec.servers;
      values["processingTime"] = spec.processing.mean();
      if (spec.breakdowns) {
        values["timeToFailure"] = spec.breakdowns->time_to_failure.mean();
        values["timeToRepair"] = spec.breakdowns->time_to_repair.mean();
      }
      break;
    }
    case ElementType::kConveyor: {
      const ConveyorSpec& spec = scene.conveyor_spec(e);
      values["length"] = spec.length_m;
      values["speed"] = spec.speed_m_per_s;
      values["spacing"] = spec.spacing_m;
      values["accumulating"] = spec.accumulating;
      break;
    }
    case ElementType::kSink:
      break;
  }
  return values;
}

Json relationship_instance(const std::string& source, std::string_view name,
                           const std::string& target) {
  Json link;
  link["$dtId"] = source;
  link["$relationshipId"] = std::string(name) + "-" + target;
  link["$targetId"] = target;
  link["$relationshipName"] = name;
  return link;
}

std::string text(const Json& json, int indent) {
  return json.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::string dtdl_line_twin_id(const std::string& scene_name) {
  return "line:" + scene_name;
}

DtdlExport export_dtdl_file(const std::string& scene_path,
                            std::span<const std::string_view> twin_states) {
  const Scene scene = load_scene_file(scene_path);
  Json models = Json::array({element_interface(twin_states)});
  std::array<bool, kElementTypes> present{};
  for (const Element& e : scene.elements())
    present[static_cast<std::size_t>(e.type)] = true;
  for (std::size_t kind = 0; kind < present.size(); ++kind) {
    if (present[kind]) models.push_back(kind_interface(static_cast<ElementType>(kind)));
  }
  models.push_back(line_interface());

  DtdlExport result;
  result.interfaces = models.size();
  result.models_json = text(models, 2) + "\n";
  std::string& out = result.twins_ndjson;
  const auto line = [&out](const Json& json) { out += text(json, -1) + "\n"; };
  line(Json{{"Section", "Header"}});
  line(Json{{"fileVersion", "1.0.0"}, {"author", "linetwin export"}, {"organization", "linetwin"}});
  line(Json{{"Section", "Models"}});
  for (const Json& model : models)
    line(model);

  line(Json{{"Section", "Twins"}});
  const std::string line_id = dtdl_line_twin_id(scene.name());
  Json line_twin = twin(line_id, kDtdlLineModel);
  line_twin["name"] = scene.name();
  line(line_twin);
  for (const Element& e : scene.elements())
    line(element_twin(scene, e));
  result.twins = scene.elements().size() + 1;

  line(Json{{"Section", "Relationships"}});
  for (const Element& e : scene.elements()) {
    line(relationship_instance(line_id, "contains", e.id));
    ++result.relationships;
  }
  for (const Element& e : scene.elements()) {
    std::set<ElementIndex> met;  // a target named twice is one link
    for (ElementIndex target : e.route.targets) {
      if (!met.insert(target).second) continue;
      line(relationship_instance(e.id, "feedsInto", scene.element(target).id));
      ++result.relationships;
    }
  }
  return result;
}

}  // namespace linetwin
