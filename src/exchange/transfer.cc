#include "exchange/transfer.h"

#include <algorithm>
#include <set>

#include "base/bytes.h"
#include "crypto/secret.h"
#include "service/consult.h"

namespace ura::exchange {

namespace {

model::HandlingCode Stricter(model::HandlingCode a, model::HandlingCode b) {
  return static_cast<int>(a) >= static_cast<int>(b) ? a : b;
}

bool IsEntityProperty(const model::SchemaRegistry& registry, const model::Entity& e, const std::string& property) {
  const model::Schema* schema = registry.Find(e.schema);
  if (schema == nullptr) return false;
  const model::PropertySpec* spec = schema->property(property);
  return spec != nullptr && spec->type == model::PropertyType::kEntity;
}

// What leaves: the entity as the partner will see it.
model::Entity Outgoing(model::Entity e, const std::set<std::string>& in_package, const ExportRequest& request,
                       const model::SchemaRegistry& registry) {
  e.marking.handling = Stricter(e.marking.handling, request.handling);
  e.marking.cases.clear();
  for (auto it = e.properties.begin(); it != e.properties.end();) {
    std::vector<model::PropertyValue>& values = it->second;
    if (IsEntityProperty(registry, e, it->first)) {
      std::erase_if(values, [&](const model::PropertyValue& v) { return !in_package.contains(v.value); });
    }
    for (model::PropertyValue& v : values) {
      if (request.provenance != ProvenanceLevel::kFull) {
        v.provenance.record_key.clear();
        v.provenance.ingested_us = 0;
        if (request.provenance == ProvenanceLevel::kNone) v.provenance.source.clear();
      }
    }
    it = values.empty() ? e.properties.erase(it) : std::next(it);
  }
  return e;
}

}  // namespace

access::Decision MayDiscloseTo(const access::Principal& who, const model::Entity& entity, const ExchangeState& state,
                               const std::string& partner, std::string* reference) {
  access::Decision d = access::MayDisclose(who, entity.marking);
  if (d || entity.marking.handling != model::HandlingCode::kH2) return d;
  model::Marking otherwise = entity.marking;
  otherwise.handling = model::HandlingCode::kH1;
  if (!access::MayDisclose(who, otherwise)) return d;
  auto permit = state.permits.find({entity.id, partner});
  if (permit == state.permits.end()) {
    return {false, d.reason + " (no permission of the originator to pass it on to " + partner +
                       " is recorded: `ura exchange permit`)"};
  }
  if (reference != nullptr) *reference = permit->second;
  return {true, ""};
}

Result<PermitPlan> PreparePermit(index::Index& index, const access::Principal& who, const ExchangeState& state,
                                 const Permit& permit) {
  URA_RETURN_IF_ERROR(access::Require(who, access::Action::kDisclose));
  PermitPlan plan;
  URA_ASSIGN_OR_RETURN(plan.payload, EncodePermitEntry(state, permit));
  for (const std::string& id : permit.ids) {
    URA_ASSIGN_OR_RETURN(std::optional<model::Entity> e, index.Get(id));
    if (!e || !access::MaySee(who, e->marking)) return NotFound("no entity with id '" + id + "'");
    if (e->marking.handling == model::HandlingCode::kH3) {
      return FailedPrecondition("entity '" + id + "' is H3: it is never passed on, with or without permission");
    }
    if (e->marking.handling != model::HandlingCode::kH2) {
      return InvalidArgument("entity '" + id + "' is " + std::string(model::HandlingCodeName(e->marking.handling)) +
                             ": it needs no permission to be passed on");
    }
    plan.record.AddObject(id);
  }
  plan.record.action = "exchange-permit";
  plan.record.detail = "permission to pass H2 records on to partner " + permit.to + ", reference: " + permit.reference;
  return plan;
}

std::string ImportedId(std::string_view partner, std::string_view id) {
  return std::string(partner) + ":" + std::string(id);
}

Result<ExportResult> Export(index::Index& index, const access::Principal& who, const ExchangeState& state,
                            const ExportRequest& request, int64_t now_us) {
  URA_RETURN_IF_ERROR(access::Require(who, access::Action::kDisclose));
  auto partner = state.partners.find(request.partner);
  if (partner == state.partners.end()) {
    return NotFound("no partner named '" + request.partner + "' (see `ura partner list`, add one with `ura partner add`)");
  }
  if (!state.identity) return FailedPrecondition("this store has no exchange keys yet (run `ura partner self`)");
  if (request.purpose.size() < 3 || request.purpose.size() > 500) {
    return InvalidArgument("--purpose must say in 3 to 500 characters what the partner may use the data for");
  }
  if (request.query.empty() == request.ids.empty()) return InvalidArgument("select with either a query or ids");
  if (request.valid_us <= 0 || request.valid_us > 90LL * 24 * 3600 * 1000000) {
    return InvalidArgument("a package is valid for 1 to 90 days");
  }
  const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
  ExportResult result;
  std::vector<model::Entity> selected;
  std::set<std::string> chosen;
  std::vector<std::string> permitted;  // H2 records passed on with a recorded permission
  if (!request.ids.empty()) {
    for (const std::string& id : request.ids) {
      if (chosen.contains(id)) continue;
      URA_ASSIGN_OR_RETURN(std::optional<model::Entity> e, index.Get(id));
      if (!e || !access::MaySee(who, e->marking)) return NotFound("no entity with id '" + id + "'");
      std::string reference;
      if (access::Decision d = MayDiscloseTo(who, *e, state, request.partner, &reference); !d) {
        return PermissionDenied("entity '" + id + "' may not be disclosed to a partner: " + d.reason);
      }
      if (!reference.empty()) permitted.push_back(id + " (" + reference + ")");
      chosen.insert(id);
      selected.push_back(std::move(*e));
    }
  } else {
    search::SearchOptions options;
    options.limit = request.limit;
    URA_ASSIGN_OR_RETURN(service::SearchAnswer answer, service::Search(index, who, request.query, options));
    // A hit stands for the records of the same schema and name folded into it (those the
    // principal may see): each is considered.
    std::vector<std::string> hit_ids;
    for (const search::SearchHit& hit : answer.hits) {
      hit_ids.push_back(hit.id);
      hit_ids.insert(hit_ids.end(), hit.same_caption_ids.begin(), hit.same_caption_ids.end());
    }
    for (const std::string& id : hit_ids) {
      if (chosen.contains(id)) continue;
      URA_ASSIGN_OR_RETURN(std::optional<model::Entity> e, index.Get(id));
      if (!e || !access::MaySee(who, e->marking)) continue;
      std::string reference;
      if (!MayDiscloseTo(who, *e, state, request.partner, &reference)) {
        ++result.withheld;
        continue;
      }
      if (!reference.empty()) permitted.push_back(id + " (" + reference + ")");
      chosen.insert(id);
      selected.push_back(std::move(*e));
    }
  }
  if (selected.empty()) {
    return InvalidArgument("nothing to send: the selection holds no entity that may be disclosed" +
                           (result.withheld > 0 ? " (" + std::to_string(result.withheld) +
                                                      " withheld by their handling code or need-to-know)"
                                                : std::string()));
  }
  PackageBody& body = result.body;
  body.id = HexEncode(crypto::RandomBytes(16));
  body.sender = state.identity->bundle();
  body.recipient = partner->second.keys;
  body.created_us = now_us;
  body.expires_us = now_us + request.valid_us;
  body.handling = request.handling;
  body.purpose = request.purpose;
  body.provenance = request.provenance;
  for (const model::Entity& e : selected) {
    body.entities.push_back(model::ToFtmJson(Outgoing(e, chosen, request, registry)));
    result.ids.push_back(e.id);
  }
  URA_ASSIGN_OR_RETURN(result.package, SealPackage(body, *state.identity, partner->second.keys));
  result.record.action = "disclose";
  for (const std::string& id : result.ids) result.record.AddObject(id);
  result.record.detail = "package " + body.id + " to partner " + request.partner + " (" +
                         Fingerprint(partner->second.keys) + "), handling " +
                         std::string(model::HandlingCodeName(body.handling)) + ", provenance " +
                         std::string(ProvenanceLevelName(body.provenance)) + ", purpose: " + body.purpose +
                         (result.withheld > 0 ? "; " + std::to_string(result.withheld) + " withheld" : std::string());
  for (size_t i = 0; i < permitted.size(); ++i) {
    result.record.detail += (i == 0 ? "; H2 passed on with the originator's permission: " : ", ") + permitted[i];
  }
  return result;
}

Result<ImportPlan> PrepareImport(ByteView file, index::Index& index, const access::Principal& who,
                                 const ExchangeState& state, const std::vector<std::string>& cases,
                                 const model::SchemaRegistry& registry, int64_t now_us) {
  URA_RETURN_IF_ERROR(access::Require(who, access::Action::kReceive));
  if (!state.identity) {
    return FailedPrecondition("this store has no exchange keys: it cannot be the recipient of any package "
                              "(run `ura partner self` and give the key to the partner)");
  }
  ImportPlan plan;
  URA_ASSIGN_OR_RETURN(plan.package, OpenPackage(file, *state.identity));
  URA_ASSIGN_OR_RETURN(plan.partner, CheckPackage(plan.package, state, now_us));
  const PackageBody& body = plan.package.body;
  URA_ASSIGN_OR_RETURN(std::vector<std::string> case_list, model::NormaliseCases(cases));
  if (body.handling == model::HandlingCode::kH3 && case_list.empty()) {
    return FailedPrecondition("package " + body.id + " is H3 (the sender's own restrictions): its records are "
                              "need-to-know; import it with --case CASE naming the case they belong to");
  }
  const std::string& partner = plan.partner->name;
  const model::Provenance source{"partner:" + partner, body.id, now_us};
  plan.entities = body.entities.size();
  plan.record.action = "exchange-import";
  std::set<std::string> seen;
  for (size_t i = 0; i < body.entities.size(); ++i) {
    auto parsed = model::FromFtmJson(body.entities[i], source, model::Marking());
    if (!parsed.ok()) {
      return InvalidArgument("entity " + std::to_string(i) + " of package " + body.id + ": " +
                             parsed.status().message());
    }
    model::Entity e = std::move(parsed).value();
    const std::string original_id = e.id;
    if (!seen.insert(original_id).second) {
      return InvalidArgument("package " + body.id + " holds entity '" + original_id + "' twice: malformed");
    }
    e.id = ImportedId(partner, e.id);
    e.marking.handling = Stricter(e.marking.handling, body.handling);
    e.marking.cases = case_list;
    for (auto& [property, values] : e.properties) {
      const bool reference = IsEntityProperty(registry, e, property);
      for (model::PropertyValue& v : values) {
        if (reference) v.value = ImportedId(partner, v.value);
        // The sender's source and record, when it sent them, stay readable in the record key.
        std::string record = body.id;
        if (!v.provenance.source.empty() && v.provenance.source != source.source) {
          record = v.provenance.source + (v.provenance.record_key.empty() ? "" : "/" + v.provenance.record_key);
        }
        v.provenance = {source.source, record, now_us};
      }
    }
    if (Status valid = model::ValidateAndNormalize(e, registry); !valid.ok()) {
      return InvalidArgument("entity " + std::to_string(i) + " ('" + original_id + "') of package " + body.id +
                             ": " + valid.message());
    }
    URA_ASSIGN_OR_RETURN(std::optional<model::Entity> current, index.Get(e.id));
    model::Entity merged = std::move(e);
    if (current) {
      model::Entity next = *current;
      for (const auto& [property, values] : merged.properties) {
        for (const model::PropertyValue& v : values) next.RemoveRecord(v.provenance);
      }
      for (const auto& [property, values] : merged.properties) {
        for (const model::PropertyValue& v : values) next.Add(property, v);
      }
      next.marking = model::MergeMarking(current->marking, merged.marking);
      if (model::SameContent(next, *current)) {
        plan.record.AddObject(next.id);
        continue;
      }
      merged = std::move(next);
    }
    plan.record.AddObject(merged.id);
    plan.versions.push_back(std::move(merged));
  }
  plan.record.detail = "package " + body.id + " from partner " + partner + ", handling " +
                       std::string(model::HandlingCodeName(body.handling)) + ", purpose: " + body.purpose + "; " +
                       std::to_string(plan.versions.size()) + " new versions";
  plan.receipt = EncodeReceipt({body.id, partner, now_us}, plan.entities, model::HandlingCodeName(body.handling));
  return plan;
}

}  // namespace ura::exchange
