#include "ingest/ingester.h"
#include "base/bytes.h"

#include <chrono>
#include <fstream>
#include <sys/stat.h>

#include "crypto/sha256.h"
#include "ingest/csv_reader.h"
#include "ingest/json_reader.h"
#include "ingest/line_source.h"

namespace ura::ingest {

std::string MakeEntityId(const std::string& source, const std::string& alias, const std::string& key_literal,
                         const std::vector<std::string>& key_values) {
  std::string material = source + '\0' + alias + '\0' + key_literal;
  for (const auto& k : key_values) material += '\0' + k;
  crypto::Hash256 h = crypto::Sha256(AsBytes(material));
  return source + "." + HexEncode(ByteView(h.data(), 20));
}

Ingester::Ingester(const Mapping& mapping, const model::SchemaRegistry& registry, EntityState& state,
                   EntitySink& sink, IngestOptions options)
    : mapping_(mapping), registry_(registry), state_(state), sink_(sink), options_(std::move(options)) {
  if (options_.clock == nullptr) {
    own_clock_ = std::make_unique<SystemClock>();
    options_.clock = own_clock_.get();
  }
}

std::vector<std::string> Ingester::Values(const Record& record, const nlohmann::json* item,
                                          const std::string& path) const {
  if (item == nullptr) return record.Lookup(path);
  if (!path.empty() && path[0] == '^') return record.Lookup(path.substr(1));
  return LookupJson(*item, path);
}

Status Ingester::MapItem(const Record& record, const nlohmann::json* item, const Query& query, int64_t now,
                         Mapped& out, std::string* reject) {
  for (const Filter& f : query.filters) {
    std::vector<std::string> v = Values(record, item, f.column);
    bool pass = true;
    switch (f.op) {
      case Filter::Op::kEquals: pass = !v.empty() && v.front() == f.value; break;
      case Filter::Op::kNotEquals: pass = v.empty() || v.front() != f.value; break;
      case Filter::Op::kPresent: pass = !v.empty(); break;
      case Filter::Op::kAbsent: pass = v.empty(); break;
    }
    if (!pass) return NotFound("filtered");
  }
  // The provenance record key: the query's record_key columns if the mapping names them,
  // else (per entity, below) the entity's own key values.
  std::string query_record_key;
  for (const auto& col : query.record_key) {
    std::vector<std::string> v = Values(record, item, col);
    if (!query_record_key.empty()) query_record_key += '|';
    query_record_key += v.empty() ? "" : v.front();
  }
  // First pass: ids of every alias (references may point forward).
  std::map<std::string, std::string> ids;
  std::map<std::string, std::string> own_keys;
  for (const EntityMapping& em : query.entities) {
    std::vector<std::string> keys;
    bool any = false;
    std::string joined;
    for (const auto& k : em.keys) {
      std::vector<std::string> v = Values(record, item, k);
      if (!v.empty()) any = true;
      keys.push_back(v.empty() ? "" : v.front());
      if (!joined.empty()) joined += '|';
      joined += keys.back();
    }
    own_keys[em.alias] = joined;
    if (!any) {
      *reject = "missing key column '" + em.keys.front() + "' for entity '" + em.alias + "'";
      return InvalidArgument(*reject);
    }
    ids[em.alias] = MakeEntityId(mapping_.source_name, em.alias, em.key_literal, keys);
  }
  for (const EntityMapping& em : query.entities) {
    model::Provenance prov{mapping_.source_name,
                           query.record_key.empty() ? own_keys[em.alias] : query_record_key, now};
    model::Entity e;
    e.id = ids[em.alias];
    e.schema = em.schema->name();
    e.marking = em.marking;
    if (!em.need_to_know_column.empty()) {
      auto cases = model::NormaliseCases(Values(record, item, em.need_to_know_column));
      if (!cases.ok()) {
        *reject = "column '" + em.need_to_know_column + "': " + cases.status().message();
        return InvalidArgument(*reject);
      }
      e.marking.cases = std::move(cases).value();
    }
    for (const ValueMapping& vm : em.properties) {
      std::vector<std::string> values;
      if (vm.literal) {
        values.push_back(*vm.literal);
      } else if (!vm.entity_alias.empty()) {
        values.push_back(ids[vm.entity_alias]);
      } else if (!vm.columns.empty()) {
        std::string joined;
        for (const auto& c : vm.columns) {
          for (const auto& v : Values(record, item, c)) {
            if (v.empty()) continue;
            if (!joined.empty()) joined += vm.join;
            joined += v;
          }
        }
        if (!joined.empty()) values.push_back(std::move(joined));
      } else {
        values = Values(record, item, vm.column);
      }
      if (!vm.split.empty()) {
        std::vector<std::string> parts;
        for (const auto& v : values) {
          size_t start = 0;
          while (true) {
            size_t at = v.find(vm.split, start);
            parts.push_back(v.substr(start, at - start));
            if (at == std::string::npos) break;
            start = at + vm.split.size();
          }
        }
        values = std::move(parts);
      }
      auto transformed = ApplyTransforms(vm.transforms, std::move(values));
      if (!transformed.ok()) {
        *reject = "property '" + vm.property + "' of '" + em.alias + "': " + transformed.status().message();
        return InvalidArgument(*reject);
      }
      if (transformed->empty() && vm.required) {
        *reject = "required property '" + vm.property + "' of '" + em.alias + "' is empty";
        return InvalidArgument(*reject);
      }
      for (auto& v : *transformed) e.Add(vm.property, {std::move(v), prov});
    }
    Status valid = model::ValidateAndNormalize(e, registry_, mapping_.default_country);
    if (!valid.ok()) {
      *reject = "entity '" + em.alias + "': " + valid.message();
      return valid;
    }
    out.entities.emplace_back(std::move(e), prov);
  }
  return Status::Ok();
}

Result<std::optional<Ingester::Mapped>> Ingester::MapRecord(const Record& record, std::string* reject) {
  Mapped out;
  int64_t now = options_.clock->NowMicros();
  bool any = false;
  for (const Query& q : mapping_.queries) {
    std::vector<const nlohmann::json*> items;
    if (!q.each.empty() && record.json) {
      CollectJsonPath(*record.json, q.each, items);
      if (items.empty()) continue;
    } else {
      items.push_back(nullptr);
    }
    for (const nlohmann::json* item : items) {
      Status s = MapItem(record, item, q, now, out, reject);
      if (s.code() == StatusCode::kNotFound) continue;  // filtered out
      if (!s.ok()) return std::optional<Mapped>();        // rejected: *reject says why
      any = true;
    }
  }
  if (!any) return NotFound("filtered");
  return std::optional<Mapped>(std::move(out));
}

Result<model::Entity> Ingester::Load(const std::string& id) {
  auto it = cache_.find(id);
  if (it != cache_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second.second);
    return it->second.first;
  }
  URA_ASSIGN_OR_RETURN(auto current, state_.Current(id));
  if (!current) return model::Entity{};
  return *current;
}

void Ingester::Remember(const model::Entity& e) {
  auto it = cache_.find(e.id);
  if (it != cache_.end()) {
    it->second.first = e;
    lru_.splice(lru_.begin(), lru_, it->second.second);
    return;
  }
  lru_.push_front(e.id);
  cache_.emplace(e.id, std::make_pair(e, lru_.begin()));
  while (cache_.size() > options_.cache_entities) {
    cache_.erase(lru_.back());
    lru_.pop_back();
  }
}

namespace {

// Writes a batch of new versions to the sink, counts them, and empties the batch.
Status WriteBatch(EntitySink& sink, std::vector<model::Entity>& pending, IngestSummary& summary) {
  if (pending.empty()) return Status::Ok();
  URA_RETURN_IF_ERROR(sink.Write(pending));
  for (const auto& e : pending) {
    ++summary.versions_written;
    ++summary.written_by_schema[e.schema];
  }
  pending.clear();
  return Status::Ok();
}

}  // namespace

Status Ingester::Flush(IngestSummary& summary) {
  std::vector<model::Entity> changed;
  changed.reserve(pending_.size());
  for (auto& e : pending_) {
    auto base = batch_base_.find(e.id);
    if (base != batch_base_.end() && !base->second.id.empty() && model::SameContent(e, base->second)) {
      ++summary.unchanged;
      continue;
    }
    changed.push_back(std::move(e));
  }
  pending_.clear();
  pending_index_.clear();
  batch_base_.clear();
  return WriteBatch(sink_, changed, summary);
}

namespace {

class RejectsWriter {
 public:
  explicit RejectsWriter(std::string path) : path_(std::move(path)) {}
  Status Write(const BadRecord& bad) {
    if (!out_.is_open()) {
      out_.open(path_, std::ios::binary | std::ios::trunc);
      if (!out_) return IoError("cannot write the quarantine file " + path_);
    }
    nlohmann::json j = {{"row", bad.row}, {"line", bad.line}, {"byte_offset", bad.byte_offset}, {"reason", bad.reason}};
    if (IsValidUtf8(bad.raw)) {
      j["raw"] = bad.raw;
    } else {
      j["raw_hex"] = HexEncode(AsBytes(bad.raw));
    }
    out_ << j.dump() << "\n";
    return out_ ? Status::Ok() : IoError("writing the quarantine file " + path_ + " failed");
  }
  Status Close() {
    if (!out_.is_open()) return Status::Ok();
    out_.close();
    return out_ ? Status::Ok() : IoError("writing the quarantine file " + path_ + " failed");
  }
  bool used() const { return used_ || out_.is_open(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::ofstream out_;
  bool used_ = false;
};

}  // namespace

Result<IngestSummary> Ingester::IngestFile(const std::string& path) {
  auto start = std::chrono::steady_clock::now();
  IngestSummary summary;
  summary.file = path;
  std::unique_ptr<RecordReader> reader;
  switch (mapping_.format) {
    case SourceFormat::kCsv: {
      auto r = OpenCsvReader(path, mapping_.csv);
      if (!r.ok()) return r.status();
      reader = std::move(r).value();
      break;
    }
    case SourceFormat::kNdjson:
    case SourceFormat::kJson: {
      JsonOptions jo;
      jo.encoding = mapping_.encoding;
      jo.records_path = mapping_.records_path;
      auto r = mapping_.format == SourceFormat::kNdjson ? OpenNdjsonReader(path, jo) : OpenJsonArrayReader(path, jo);
      if (!r.ok()) return r.status();
      reader = std::move(r).value();
      break;
    }
  }
  struct stat st{};
  uint64_t file_size = ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  std::string rejects_path = options_.rejects_path.empty() ? path + ".rejects.ndjson" : options_.rejects_path;
  ::unlink(rejects_path.c_str());  // the quarantine file describes this run only
  RejectsWriter rejects(rejects_path);

  while (true) {
    auto next = reader->Next();
    if (!next.ok()) {
      summary.file_error = next.status();
      break;
    }
    if (!*next) break;
    RecordReader::Item& item = **next;
    ++summary.records_read;
    if (options_.progress && summary.records_read % 4096 == 0) {
      options_.progress(reader->bytes_read(), file_size, summary.records_read);
    }
    if (item.bad) {
      ++summary.records_rejected;
      URA_RETURN_IF_ERROR(rejects.Write(*item.bad));
      continue;
    }
    const Record& record = *item.record;
    std::string reason;
    auto mapped = MapRecord(record, &reason);
    if (!mapped.ok()) {
      if (mapped.status().code() == StatusCode::kNotFound) {
        ++summary.records_filtered;
        continue;
      }
      return mapped.status();
    }
    if (!*mapped) {
      ++summary.records_rejected;
      URA_RETURN_IF_ERROR(rejects.Write(BadRecord{record.row, record.line, record.byte_offset, record.raw, reason}));
      continue;
    }
    for (auto& [contribution, prov] : (*mapped)->entities) {
      URA_ASSIGN_OR_RETURN(model::Entity current, Load(contribution.id));
      model::Entity merged = current;
      if (merged.id.empty()) {
        merged.id = contribution.id;
      }
      merged.schema = contribution.schema;
      merged.marking = model::MergeMarking(current.marking, contribution.marking);
      merged.RemoveRecord(prov);
      for (auto& [name, values] : contribution.properties) {
        for (auto& v : values) merged.Add(name, std::move(v));
      }
      // Values the record still says keep their original ingest time, so an unchanged
      // record yields an unchanged entity.
      for (auto& [name, values] : merged.properties) {
        for (auto& v : values) {
          auto it = current.properties.find(name);
          if (it == current.properties.end()) continue;
          for (const auto& old : it->second) {
            if (old.value == v.value && old.provenance.SameRecord(v.provenance)) {
              v.provenance.ingested_us = old.provenance.ingested_us;
            }
          }
        }
      }
      if (!current.id.empty() && model::SameContent(merged, current)) {
        ++summary.unchanged;
        continue;
      }
      if (!pending_index_.count(merged.id)) batch_base_.emplace(merged.id, current);
      Remember(merged);
      auto at = pending_index_.find(merged.id);
      if (at != pending_index_.end()) {
        pending_[at->second] = std::move(merged);  // one version per entity per batch
        continue;
      }
      pending_index_[merged.id] = pending_.size();
      pending_.push_back(std::move(merged));
      if (pending_.size() >= options_.batch_size) URA_RETURN_IF_ERROR(Flush(summary));
    }
  }
  URA_RETURN_IF_ERROR(Flush(summary));
  URA_RETURN_IF_ERROR(sink_.Drain());
  URA_RETURN_IF_ERROR(rejects.Close());
  if (summary.records_rejected > 0) summary.rejects_file = rejects_path;
  if (options_.progress) options_.progress(reader->bytes_read(), file_size, summary.records_read);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace ura::ingest

namespace ura::ingest {

Result<IngestSummary> IngestFtmFile(const std::string& path, const std::string& source,
                                    const model::Marking& default_marking,
                                    const model::SchemaRegistry& registry, EntityState& state,
                                    EntitySink& sink, IngestOptions options) {
  auto start = std::chrono::steady_clock::now();
  SystemClock system_clock;
  Clock& clock = options.clock ? *options.clock : system_clock;
  IngestSummary summary;
  summary.file = path;
  JsonOptions jo;
  URA_ASSIGN_OR_RETURN(auto reader, OpenNdjsonReader(path, jo));
  std::string rejects_path = path + ".rejects.ndjson";
  ::unlink(rejects_path.c_str());
  RejectsWriter rejects(rejects_path);
  std::vector<model::Entity> pending;
  auto flush = [&]() { return WriteBatch(sink, pending, summary); };
  while (true) {
    auto next = reader->Next();
    if (!next.ok()) {
      summary.file_error = next.status();
      break;
    }
    if (!*next) break;
    ++summary.records_read;
    RecordReader::Item& item = **next;
    if (item.bad) {
      ++summary.records_rejected;
      URA_RETURN_IF_ERROR(rejects.Write(*item.bad));
      continue;
    }
    const Record& r = *item.record;
    auto reject = [&](const std::string& reason) -> Status {
      ++summary.records_rejected;
      return rejects.Write(BadRecord{r.row, r.line, r.byte_offset, r.raw, reason});
    };
    std::string id = r.json->contains("id") && (*r.json)["id"].is_string() ? (*r.json)["id"].get<std::string>() : "";
    model::Provenance fallback{source, id, clock.NowMicros()};
    auto entity = model::FromFtmJson(r.raw, fallback, default_marking);
    if (!entity.ok()) {
      URA_RETURN_IF_ERROR(reject(entity.status().message()));
      continue;
    }
    Status valid = model::ValidateAndNormalize(*entity, registry);
    if (!valid.ok()) {
      URA_RETURN_IF_ERROR(reject(valid.message()));
      continue;
    }
    // Merge: the line replaces the values of the source records it names, and keeps the
    // values other sources (other datasets, other partners) gave the same entity.
    URA_ASSIGN_OR_RETURN(auto current, state.Current(entity->id));
    model::Entity merged = current ? *current : model::Entity{};
    merged.id = entity->id;
    merged.schema = entity->schema;
    merged.marking = model::MergeMarking(merged.marking, entity->marking);
    std::vector<model::Provenance> records;
    for (const auto& [name, values] : entity->properties) {
      for (const auto& v : values) {
        bool seen = false;
        for (const auto& p : records) seen = seen || p.SameRecord(v.provenance);
        if (!seen) records.push_back(v.provenance);
      }
    }
    if (records.empty()) records.push_back(fallback);
    for (const auto& p : records) merged.RemoveRecord(p);
    for (auto& [name, values] : entity->properties) {
      for (auto& v : values) merged.Add(name, std::move(v));
    }
    if (current && model::SameContent(*current, merged)) {
      ++summary.unchanged;
      continue;
    }
    pending.push_back(std::move(merged));
    if (pending.size() >= options.batch_size) URA_RETURN_IF_ERROR(flush());
  }
  URA_RETURN_IF_ERROR(flush());
  URA_RETURN_IF_ERROR(sink.Drain());
  URA_RETURN_IF_ERROR(rejects.Close());
  if (summary.records_rejected > 0) summary.rejects_file = rejects_path;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace ura::ingest
