// The API's link-analysis and AML routes (graph_routes.cc), internal to src/http: their
// OpenAPI paths and their route templates for logs and metrics.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace ura::http {

// Adds /api/v1/graph/{query} and /api/v1/aml/alerts to the OpenAPI `paths`.
void AddGraphPaths(nlohmann::json& paths, const nlohmann::json& bearer,
                   const nlohmann::json& justification, const nlohmann::json& error);

// The route template of a graph or AML path ("/api/v1/graph/path"), or "" if it is none.
std::string GraphRouteOf(const std::string& path);

}  // namespace ura::http
