#include "ingest/record.h"

namespace ura::ingest {

namespace {

void AppendScalar(const nlohmann::json& v, std::vector<std::string>& out) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (!s.empty()) out.push_back(s);
  } else if (v.is_number() || v.is_boolean()) {
    out.push_back(v.dump());
  } else if (v.is_array()) {
    for (const auto& e : v) AppendScalar(e, out);
  }
}

}  // namespace

void CollectJsonPath(const nlohmann::json& value, std::string_view path,
                     std::vector<const nlohmann::json*>& out) {
  if (path.empty()) {
    if (value.is_array()) {
      for (const auto& e : value) out.push_back(&e);
    } else {
      out.push_back(&value);
    }
    return;
  }
  if (value.is_array()) {
    for (const auto& e : value) CollectJsonPath(e, path, out);
    return;
  }
  if (!value.is_object()) return;
  size_t dot = path.find('.');
  std::string_view head = path.substr(0, dot);
  std::string_view rest = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  auto it = value.find(head);
  if (it == value.end()) return;
  CollectJsonPath(*it, rest, out);
}

std::vector<std::string> LookupJson(const nlohmann::json& value, std::string_view path) {
  std::vector<std::string> out;
  std::vector<const nlohmann::json*> found;
  CollectJsonPath(value, path, found);
  for (const auto* v : found) AppendScalar(*v, out);
  return out;
}

std::vector<std::string> Record::Lookup(std::string_view path) const {
  if (json) return LookupJson(*json, path);
  std::vector<std::string> out;
  if (columns) {
    for (size_t i = 0; i < columns->size() && i < fields.size(); ++i) {
      if ((*columns)[i] == path) {
        if (!fields[i].empty()) out.push_back(fields[i]);
        break;
      }
    }
  }
  return out;
}

bool Record::HasColumn(std::string_view name) const {
  if (json || !columns) return true;
  for (const auto& c : *columns) {
    if (c == name) return true;
  }
  return false;
}

}  // namespace ura::ingest
