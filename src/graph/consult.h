// Link analysis under the access rules (access/policy.h), for every front end: the command
// line (`ura graph ...`) and the API (/api/v1/graph/...) call Consult, so both apply the same
// rules and answer in the same JSON.
//
// A node the principal may not see is not in their graph at all -- not as a path's hop, not
// in a community, not counted in a degree -- and a link entity they may not see is no edge for
// them: the mask is applied before any search, so a path that exists only through hidden
// nodes is not found. Asking about a hidden id answers as for an id that does not exist.
//
// Each call returns the answer and the audit record of the consultation (action "graph-QUERY",
// the request in `detail`, every entity shown as an object). The caller fills who, when, where
// and why, makes the record durable and only then shows the answer.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "access/policy.h"
#include "audit/audit.h"
#include "base/status.h"
#include "graph/graph.h"
#include "index/index.h"

namespace ura::graph {

// A filter whose `visible` mask holds what `who` may see (MaySee once per distinct marking).
// kPermissionDenied with the reason if the principal may not consult at all.
Result<Filter> FilterFor(const Graph& graph, const access::Principal& who);

// The audit record of a graph consultation: `action`, the query in `detail`, and every node
// and link entity shown as an object (the caller fills who, when, why).
audit::Record ConsultationRecord(const Graph& graph, std::string action, std::string detail,
                                 const std::vector<uint32_t>& nodes,
                                 const std::vector<uint32_t>& edges = {});

// The queries, by name.
inline constexpr const char* kQueries[] = {"neighbours", "path",        "paths",   "connect",
                                           "components", "communities", "central", "timeline"};

struct Request {
  std::string query;             // one of kQueries
  std::vector<std::string> ids;  // neighbours, timeline: 1; path, paths: 2; connect: 2 or more
  uint32_t hops = 2;             // neighbours, 1..6
  size_t max_nodes = 200;        // neighbours, 1..100000
  std::vector<std::string> edge_types;  // only these (graph edge type names); empty: all
  std::vector<std::string> schemata;    // only nodes of these schemata; empty: all
  std::string from, to;                 // only edges dated in [from, to] (YYYY-MM-DD); undated kept
  size_t k = 3;                         // paths, 1..100
  size_t limit = 20;                    // components, communities, central: most listed
  size_t min_size = 2;                  // components, communities: smallest listed
  std::string show;                     // components, communities: list members of this schema only
  std::string measure = "pagerank";     // central: degree | pagerank | betweenness
  size_t samples = 256;                 // central betweenness: source nodes sampled
  double resolution = 1.0;              // communities
  uint64_t seed = 1;                    // communities, betweenness
};

struct Answer {
  nlohmann::json json;    // the answer (see docs/cli.md, ura graph)
  audit::Record record;   // outcome "not-found" when `not_found` is set
  std::string not_found;  // a message for the user if an id is unknown or hidden (json is null)
};

// kInvalidArgument for a bad request (unknown query, edge type or schema, bad date, wrong
// number of ids), kPermissionDenied if the principal may not consult; index errors as they come.
// `index` supplies captions of the entities shown.
Result<Answer> Consult(const Graph& graph, index::Index& index, const access::Principal& who,
                       const Request& request);

}  // namespace ura::graph
