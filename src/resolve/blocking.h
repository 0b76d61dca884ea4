// Blocking: which pairs of records are compared at all. Comparing every pair of a million
// records is 5e11 comparisons; records are compared only when they share a blocking key:
//
//   id    any identifier, also without its first or last two characters (a number typed in
//         part still meets the whole one)
//   name  the phonetic skeletons of both name parts (sorted: their order does not matter)
//         and the birth year -- this is how a partial date (1985, 1985-03) meets
//   date  the first two letters of a name part and the full birth date with day and month
//         sorted (so that a day/month swap meets the right date)
//   pair  the skeletons of both name parts (sorted) with birth month and day, without the
//         year (so that a year typed one off still meets)
//
// A block larger than `max_block` records (a very common name in one year) is skipped and
// counted: its pairs would cost more than they find, and people in it still meet through
// their other keys.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "resolve/record.h"

namespace ura::resolve {

struct BlockingStats {
  uint64_t records = 0;
  uint64_t all_pairs = 0;        // n(n-1)/2
  uint64_t candidate_pairs = 0;  // distinct pairs kept
  double reduction_ratio = 0;    // 1 - candidate_pairs / all_pairs
  uint64_t blocks_skipped = 0;   // larger than max_block
  std::map<std::string, uint64_t> pairs_by_key;  // pairs each key kind produced (a pair may count under several)
};

// Blocking keys of one record, each prefixed by its kind ("id:", "name:", "date:", "pair:").
std::vector<std::string> BlockingKeys(const PersonRecord& record);

// Candidate pairs (index a < index b into `records`), sorted and distinct, encoded as
// (a << 32) | b.
std::vector<uint64_t> CandidatePairs(const std::vector<PersonRecord>& records, size_t max_block,
                                     BlockingStats& stats);

// Pairs for estimating the model, not for matching: records sharing one name part's skeleton
// and birth year, each paired with the next `window` records of its block (ids are in no
// meaningful order, so this is a sample). The candidate pairs alone are too alike for EM to
// learn what tells two people apart -- nearly all of them are the same person -- so EM also
// sees these, most of which are different people with one name and the year in common.
// Sorted and distinct, encoded as CandidatePairs.
std::vector<uint64_t> TrainingPairs(const std::vector<PersonRecord>& records, size_t window);

}  // namespace ura::resolve
