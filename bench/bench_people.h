// Synthetic persons for the index benchmarks: Balkan and Turkish names from the generator's
// catalogue (with its diacritics), a passport number and a birth date, as Person entities.
#pragma once

#include <cstdio>
#include <string>

#include "generate/catalog.h"
#include "generate/random.h"
#include "model/entity.h"

namespace ura::bench {

inline std::string PersonName(generate::Random& rng) {
  using namespace generate;
  const auto culture = static_cast<Culture>(rng.Uniform(kCultureCount));
  const NamePool& pool = Names(culture);
  const auto& given = rng.Uniform(2) == 0 ? pool.male : pool.female;
  std::string name = given[rng.Uniform(given.size())];
  name += " ";
  name += pool.family[rng.Uniform(pool.family.size())];
  return name;
}

// Person `i`: id "p<i>", the name drawn from `rng`, passport AB + 7 digits, a birth date.
inline model::Entity BenchPerson(size_t i, generate::Random& rng, std::string* name_out = nullptr) {
  model::Entity e;
  e.id = "p" + std::to_string(i);
  e.schema = "Person";
  model::Provenance prov{"bench", std::to_string(i), 1700000000000000};
  std::string name = PersonName(rng);
  e.properties["name"].push_back({name, prov});
  char passport[16];
  std::snprintf(passport, sizeof passport, "AB%07zu", i % 10000000);
  e.properties["passportNumber"].push_back({passport, prov});
  char birth[16];
  std::snprintf(birth, sizeof birth, "%04d-%02d-%02d", 1950 + static_cast<int>(rng.Uniform(55)),
                1 + static_cast<int>(rng.Uniform(12)), 1 + static_cast<int>(rng.Uniform(28)));
  e.properties["birthDate"].push_back({birth, prov});
  if (name_out) *name_out = std::move(name);
  return e;
}

}  // namespace ura::bench
