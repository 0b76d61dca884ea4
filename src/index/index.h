// The index: a projection of the journal that search, the dossier and the analyses read.
//
// It holds the current version of every entity (its canonical JSON and the journal sequence
// it came from), the journal sequences of all earlier versions, folded names (an FTS5-style
// token index plus a vocabulary for typo-tolerant lookup), canonical identifiers, references
// between entities and folded free text, the keys entity resolution lists records under and
// the records it reads (EntityKeys), the canonical persons of resolution and the analysts'
// judgements in force. It records the journal tree size (and root, when the
// size is a signed head's) it has applied; CatchUp applies what the journal has beyond that.
//
// The index can be deleted at any time and rebuilt from the journal: nothing in it is the
// only copy of anything. An Index is not thread-safe: one per thread. Implementations:
// sqlite/sqlite_index.h (embedded default); a PostgreSQL one can follow behind this interface.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/file_system.h"
#include "journal/keys.h"
#include "model/canonical_persons.h"
#include "model/entity.h"
#include "model/judgement.h"
#include "index/projection.h"
#include "model/schema.h"

namespace ura::index {

// Journal entry type of an entity version (payload: model::CanonicalJson).
inline constexpr uint32_t kEntryTypeEntityVersion = 16;

// One entity version to apply: the journal sequence it was written at, the entity, and its
// canonical JSON (the journal payload, byte for byte).
struct VersionToApply {
  uint64_t sequence = 0;
  const model::Entity* entity = nullptr;
  std::string_view json;
};

// One entry of entity resolution (model/canonical_persons.h) to apply: a chunk of a run, or an
// incremental update. The index keeps the canonical persons of the latest complete run as the
// updates after it changed them: which record belongs to which person.
struct ResolutionToApply {
  uint64_t sequence = 0;
  const model::RunChunk* chunk = nullptr;          // or
  const model::ResolutionUpdate* update = nullptr;  // or
  const model::Judgement* judgement = nullptr;
};

// The canonical person of a record in the latest complete resolution run: its id and its
// records (the record itself among them), in id order.
struct PersonGroup {
  std::string person_id;
  std::string run_id;
  std::vector<std::string> members;
  bool truncated = false;  // more members than asked for
};

// Keys an entity is listed under for entity resolution (resolve/blocking.h: the blocking keys
// of a Person record), so that a record ingested after a run finds exactly the records a run
// would compare it with, and a record kept beside the entity (resolve/record.h: the Person
// record, encoded), so that resolution reads every record without parsing entities. The index
// knows nothing of resolution: whoever opens it passes the function. `version` names it; an
// index built with another version is rebuilt (Open fails with kFailedPrecondition). Empty
// `version` and no function: entities are listed under no key and keep no record.
struct EntityKeys {
  struct Derived {
    std::vector<std::string> keys;  // distinct, any order
    std::string record;             // opaque bytes; empty: none kept
  };
  std::string version;
  std::function<Derived(const model::Entity&)> of;
};

// How the index stores a key: the first 8 bytes of its SHA-256 as a signed integer (so a key
// costs 8 bytes, whatever its length). Two keys with one hash only add a candidate, which the
// caller, comparing the keys themselves, drops.
int64_t EntityKeyHash(std::string_view key);

// An entity found by a name, text or identifier lookup, with what the ranking needs.
struct Candidate {
  std::string id;
  std::string schema;
  std::string names;  // Projection::EncodedNames
  std::string caption;
  std::string matched_property;  // identifier lookups: the property that holds the value
};

// A vocabulary token near a query token, with the number of entities that use it.
struct TokenVariant {
  std::string token;
  uint64_t entities = 0;
};

// An entity that refers to another through an entity-typed property.
struct Reference {
  std::string from_id;
  std::string from_schema;
  std::string property;
};

struct CurrentVersion {
  uint64_t sequence = 0;
  std::string json;
};

// An order-independent digest of a set of (token, row) postings: the sum, lane by lane modulo
// 2^64, of the first 16 bytes of SHA-256(token || 0x00 || row as 8 bytes little-endian). The
// index check computes it from the journal and from the token indexes and compares: one pass
// over each instead of a full-text query per entity.
struct PostingsDigest {
  uint64_t lanes[2] = {0, 0};
  void Add(std::string_view token, int64_t row);
  bool operator==(const PostingsDigest&) const = default;
};

// Everything the index holds for one entity, for checking it against the journal.
struct StoredEntity {
  int64_t row = 0;  // the entity's row number, which the token indexes list it under
  uint64_t sequence = 0;
  std::string schema, names, caption, marking, json;  // marking: model::EncodeMarking
  std::vector<ProjectedValue> identifiers;  // sorted
  std::vector<ProjectedValue> references;   // sorted
};

// Counts over the whole index, for checking it against the journal.
struct IndexTotals {
  uint64_t entities = 0, versions = 0, identifiers = 0, references = 0;
  uint64_t name_postings = 0, text_postings = 0;  // (entity, distinct token) pairs in the token indexes
  uint64_t vocabulary_mismatches = 0;             // tokens whose entity count disagrees with the token index
  PostingsDigest name_digest, text_digest;         // of every (token, row) pair in each token index
  // Entity keys (EntityKeys): (key hash, entity) pairs, and their digest (PostingsDigest of the
  // hash in decimal, row).
  uint64_t entity_keys = 0;
  PostingsDigest key_digest;
  // Records kept beside entities (EntityKeys): their number and digest (PostingsDigest of the
  // record's bytes, row).
  uint64_t keyed_records = 0;
  PostingsDigest record_digest;
  // Analysts' judgements in force: their number and digest (PostingsDigest of the encoded
  // judgement, row 0).
  uint64_t judgements = 0;
  PostingsDigest judgement_digest;
  // Canonical persons: the latest complete run's id, its (person, record) pairs and a digest of
  // them (PostingsDigest of "person record", row 0), and members of a run still arriving.
  std::string person_run;
  uint64_t person_members = 0, person_members_pending = 0;
  PostingsDigest person_digest;
};

// Damage found in the index itself (not in the journal): kDataLoss with corruption kind
// "index". Such an index is deleted and rebuilt from the journal.
inline constexpr char kIndexDamage[] = "index";
bool IsIndexDamage(const Status& status);

class Index {
 public:
  virtual ~Index() = default;

  // Journal entries applied so far, and the root hash at that size (empty if the size was not
  // a signed head's when it was recorded).
  virtual uint64_t applied_size() const = 0;
  virtual const Bytes& applied_root() const = 0;
  // Journal entries applied and committed: what another connection to the same index sees.
  // Behind applied_size() inside a bulk transaction (BeginBulk) until its next commit.
  virtual uint64_t committed_size() const = 0;
  // Re-reads the applied size and root (another process may have advanced them).
  virtual Status Refresh() = 0;

  // Applies entity versions and entity-resolution entries in journal order and records
  // `applied_size` and `applied_root`.
  virtual Status Apply(const std::vector<VersionToApply>& versions, const std::vector<ResolutionToApply>& resolution,
                       uint64_t applied_size, ByteView applied_root) = 0;
  // Groups later Apply calls into large transactions until Commit (bulk ingest, rebuilds).
  // Safe because the index is a projection: after a crash it catches up from the journal.
  virtual Status BeginBulk() = 0;
  // BeginBulk for rebuilding an empty index from the journal: a larger page cache, and the
  // key table written in key order at Commit (a rebuild inserts tens of millions of keys).
  // kFailedPrecondition if the index has applied anything.
  virtual Status BeginRebuild() = 0;
  virtual Status Commit() = 0;

  virtual Result<std::optional<model::Entity>> Get(const std::string& id) = 0;
  // The current version's marking alone (what access checks need), without parsing the entity.
  virtual Result<std::optional<model::Marking>> MarkingOf(const std::string& id) = 0;
  virtual Result<std::optional<CurrentVersion>> Current(const std::string& id) = 0;
  // Journal sequences of every version of `id`, oldest first.
  virtual Result<std::vector<uint64_t>> VersionSequences(const std::string& id) = 0;
  // Entities whose entity-typed properties point at `id`, at most `limit`.
  virtual Result<std::vector<Reference>> ReferencesTo(const std::string& id, size_t limit) = 0;
  // The canonical person `id` belongs to, or is (a "P-" id), with at most `member_limit`
  // members; nullopt if resolution puts it in no person of two or more records (or there has
  // been no run).
  virtual Result<std::optional<PersonGroup>> PersonOf(const std::string& id, size_t member_limit) = 0;
  // Every canonical person of several records (the latest run and the updates since), with its
  // members in id order, in order of person id.
  virtual Status ForEachPerson(
      const std::function<Status(const std::string& person, const std::vector<std::string>& members)>& fn) = 0;
  // The analysts' judgements in force (the latest of each pair; a withdrawn pair has none), in
  // order of (a, b).
  virtual Status ForEachJudgement(const std::function<Status(const model::Judgement&)>& fn) = 0;
  // Those naming `id` (as a or b).
  virtual Result<std::vector<model::Judgement>> JudgementsOf(const std::string& id) = 0;
  // What the latest complete resolution run reported (its model among it), as JSON; empty if
  // there has been no run.
  virtual Result<std::string> LatestRunStats() = 0;

  // Entities whose names contain, for every group, at least one of the group's folded tokens
  // (AND of ORs), restricted to `schemata` unless empty; at most `limit`, in no useful order.
  virtual Result<std::vector<Candidate>> MatchNames(const std::vector<std::vector<std::string>>& groups,
                                                    const std::vector<std::string>& schemata,
                                                    size_t limit) = 0;
  // The same over the folded free text (addresses, notes).
  virtual Result<std::vector<Candidate>> MatchText(const std::vector<std::string>& tokens,
                                                   const std::vector<std::string>& schemata,
                                                   size_t limit) = 0;
  // Vocabulary tokens that may be a typo or spelling variant of `token` (folded): the token
  // itself, tokens one deletion/insertion/substitution/transposition away, tokens with the
  // same phonetic skeleton. The caller ranks them.
  virtual Result<std::vector<TokenVariant>> NameTokenVariants(const std::string& token, size_t limit) = 0;
  // Ids of the entities listed under `key` (EntityKeys), at most `limit`, in no useful order.
  virtual Result<std::vector<std::string>> FindByKey(const std::string& key, size_t limit) = 0;
  // Every record kept beside a current entity (EntityKeys), in storage order: one sequential
  // pass over a narrow table, for resolution reading every Person record.
  virtual Status ScanKeyedRecords(const std::function<Status(std::string_view record)>& fn) = 0;
  // The record kept beside `id`'s current version; nullopt if none (no such entity, or its
  // EntityKeys record is empty).
  virtual Result<std::optional<std::string>> KeyedRecord(const std::string& id) = 0;
  // The function the index lists entities under keys with.
  virtual const EntityKeys& entity_keys() const = 0;
  // Entities holding this canonical identifier, phone, e-mail, IBAN or plate.
  virtual Result<std::vector<Candidate>> FindIdentifier(const std::string& value,
                                                        const std::vector<std::string>& schemata,
                                                        size_t limit) = 0;

  virtual Result<std::map<std::string, uint64_t>> CountBySchema() = 0;
  // Every current entity (only `schema` and its descendants unless empty), in id order.
  virtual Status ForEach(const model::SchemaRegistry& registry, const std::string& schema,
                         const std::function<Status(const model::Entity&)>& fn) = 0;
  // Every current entity's id, sequence and JSON, in id order (for verification).
  virtual Status ForEachCurrent(const std::function<Status(const std::string& id, const CurrentVersion&)>& fn) = 0;
  // The storage engine's own consistency check of what is committed; kDataLoss if the files
  // are damaged. May run on another thread while this object is used.
  virtual Status CheckStorage() = 0;
  // For checking against the journal: one entity's rows, whether a version is listed, and
  // totals (with the digests of both token indexes).
  virtual Result<std::optional<StoredEntity>> Stored(const std::string& id) = 0;
  virtual Result<bool> HasVersion(const std::string& id, uint64_t sequence) = 0;
  virtual Result<IndexTotals> Totals() = 0;
  // A consistent read snapshot for the checks above (Commit ends it).
  virtual Status BeginSnapshot() = 0;
};

// Applies every committed entity version, resolution run and update, and judgement after the
// index's applied size. `progress`
// (optional) is called now and then with (entries applied, entries to apply).
Status CatchUp(Index& index, FileSystem& fs, const journal::StorePaths& paths, const journal::Keyring& keyring,
               const std::function<void(uint64_t, uint64_t)>& progress = {});

// Compares the index with the journal entries it has applied, decrypting them, in one read
// snapshot: every entity's row must be the last version the journal holds for it, byte for
// byte, with the names, caption, identifiers and links that version projects to; every version
// must be listed; the token indexes must find every entity by each of its words, and the key
// table (EntityKeys) list it under exactly its keys and keep exactly its record; the canonical
// persons must be the latest complete resolution run's, and the judgements the latest of each
// pair; and the totals (entities, versions,
// identifiers, links, token index entries, vocabulary counts) must agree, so nothing else is there. An index behind the journal is checked as far as it goes;
// one ahead of it, or from another history, is damage. kDataLoss (kind "index") naming the
// first difference; journal errors as ReadEntries returns them.
struct IndexCheckReport {
  uint64_t entities = 0;
  uint64_t versions = 0;
};
Result<IndexCheckReport> CheckAgainstJournal(Index& index, FileSystem& fs, const journal::StorePaths& paths,
                                             const journal::Keyring& keyring);

}  // namespace ura::index
