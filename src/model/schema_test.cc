#include "model/schema.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace ura::model {
namespace {

const SchemaRegistry& Builtin() { return SchemaRegistry::Builtin(); }

const Schema& MustFind(std::string_view name) {
  const Schema* schema = Builtin().Find(name);
  EXPECT_NE(schema, nullptr) << name;
  static const Schema* const kThing = SchemaRegistry::Builtin().Find("Thing");
  return schema != nullptr ? *schema : *kThing;
}

TEST(BuiltinSchemaTest, EverySchemaOfIssue3Exists) {
  for (const char* name :
       {"Thing", "LegalEntity", "Person", "Organization", "Company", "Vehicle", "Identification",
        "Passport", "Address", "BankAccount", "Payment", "Event", "CourtCase", "Family",
        "Associate", "Membership", "Ownership", "Directorship", "Employment", "UnknownLink",
        // FtM's abstract parents
        "Interval", "Interest", "Value", "Asset",
        // police additions
        "Case", "CaseMembership", "BorderCrossing", "Arrest", "Incident"}) {
    const Schema* schema = Builtin().Find(name);
    ASSERT_NE(schema, nullptr) << name;
    EXPECT_EQ(schema->name(), name);
    EXPECT_FALSE(schema->label().empty()) << name;
  }
  EXPECT_EQ(Builtin().Find("person"), nullptr);  // names are case-sensitive
  EXPECT_EQ(Builtin().Find("Nonsense"), nullptr);
}

TEST(BuiltinSchemaTest, Inheritance) {
  struct Case {
    const char* schema;
    const char* ancestor;
    bool is_a;
  };
  const Case cases[] = {
      {"Person", "Person", true},          {"Person", "LegalEntity", true},
      {"Person", "Thing", true},           {"Person", "Organization", false},
      {"LegalEntity", "Person", false},    {"Company", "Organization", true},
      {"Company", "LegalEntity", true},    {"Company", "Asset", true},
      {"Company", "Value", true},          {"Company", "Thing", true},
      {"Passport", "Identification", true}, {"Passport", "Interval", true},
      {"Passport", "Thing", false},        {"Payment", "Interval", true},
      {"Payment", "Value", true},          {"Ownership", "Interest", true},
      {"Ownership", "Interval", true},     {"Event", "Interval", true},
      {"Event", "Thing", true},            {"Incident", "Event", true},
      {"Vehicle", "Asset", true},          {"BankAccount", "Asset", true},
      {"Case", "Thing", true},             {"CaseMembership", "Interest", true},
      {"Arrest", "Interval", true},        {"BorderCrossing", "Interval", true},
      {"Address", "Thing", true},          {"Person", "Nonsense", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(MustFind(c.schema).IsA(c.ancestor), c.is_a) << c.schema << " IsA " << c.ancestor;
  }
  const Schema& person = MustFind("Person");
  ASSERT_EQ(person.parents().size(), 1u);
  EXPECT_EQ(person.parents()[0]->name(), "LegalEntity");
  const Schema& company = MustFind("Company");
  ASSERT_EQ(company.parents().size(), 2u);
  EXPECT_EQ(company.parents()[0]->name(), "Organization");
  EXPECT_EQ(company.parents()[1]->name(), "Asset");
  EXPECT_TRUE(MustFind("Thing").parents().empty());
}

TEST(BuiltinSchemaTest, PropertiesAndTheirOwners) {
  struct Case {
    const char* schema;
    const char* property;
    PropertyType type;
    const char* owner;
    const char* range;
  };
  const Case cases[] = {
      // Person: own, and inherited from LegalEntity and Thing
      {"Person", "name", PropertyType::kName, "Thing", ""},
      {"Person", "alias", PropertyType::kName, "Thing", ""},
      {"Person", "weakAlias", PropertyType::kName, "Thing", ""},
      {"Person", "previousName", PropertyType::kName, "Thing", ""},
      {"Person", "address", PropertyType::kAddress, "Thing", ""},
      {"Person", "addressEntity", PropertyType::kEntity, "Thing", "Address"},
      {"Person", "country", PropertyType::kCountry, "Thing", ""},
      {"Person", "phone", PropertyType::kPhone, "LegalEntity", ""},
      {"Person", "email", PropertyType::kEmail, "LegalEntity", ""},
      {"Person", "idNumber", PropertyType::kIdentifier, "LegalEntity", ""},
      {"Person", "firstName", PropertyType::kString, "Person", ""},
      {"Person", "lastName", PropertyType::kString, "Person", ""},
      {"Person", "fatherName", PropertyType::kString, "Person", ""},
      {"Person", "birthDate", PropertyType::kDate, "Person", ""},
      {"Person", "birthPlace", PropertyType::kString, "Person", ""},
      {"Person", "nationality", PropertyType::kCountry, "Person", ""},
      {"Person", "gender", PropertyType::kGender, "Person", ""},
      {"Person", "passportNumber", PropertyType::kIdentifier, "Person", ""},
      {"Person", "spokenLanguage", PropertyType::kLanguage, "Person", ""},
      // Company redeclares nothing of its parents but gets both lines
      {"Company", "amount", PropertyType::kNumber, "Value", ""},
      {"Company", "registrationNumber", PropertyType::kIdentifier, "LegalEntity", ""},
      {"Vehicle", "registrationNumber", PropertyType::kPlate, "Vehicle", ""},
      {"Vehicle", "owner", PropertyType::kEntity, "Vehicle", "LegalEntity"},
      {"Vehicle", "buildDate", PropertyType::kDate, "Vehicle", ""},
      {"BankAccount", "iban", PropertyType::kIban, "BankAccount", ""},
      {"BankAccount", "holder", PropertyType::kEntity, "BankAccount", "LegalEntity"},
      {"Address", "full", PropertyType::kAddress, "Address", ""},
      {"Address", "country", PropertyType::kCountry, "Address", ""},  // redeclared
      {"Address", "postalCode", PropertyType::kString, "Address", ""},
      {"Identification", "number", PropertyType::kIdentifier, "Identification", ""},
      {"Identification", "holder", PropertyType::kEntity, "Identification", "LegalEntity"},
      {"Passport", "number", PropertyType::kIdentifier, "Identification", ""},
      {"Payment", "payer", PropertyType::kEntity, "Payment", "LegalEntity"},
      {"Payment", "payerAccount", PropertyType::kEntity, "Payment", "BankAccount"},
      {"Payment", "beneficiaryAccount", PropertyType::kEntity, "Payment", "BankAccount"},
      {"Payment", "amount", PropertyType::kNumber, "Value", ""},
      {"Payment", "currency", PropertyType::kString, "Value", ""},
      {"Payment", "date", PropertyType::kDate, "Interval", ""},
      {"Payment", "transactionNumber", PropertyType::kString, "Payment", ""},
      {"Payment", "purpose", PropertyType::kText, "Payment", ""},
      {"Event", "location", PropertyType::kAddress, "Event", ""},
      {"Event", "involved", PropertyType::kEntity, "Event", "LegalEntity"},
      {"Event", "name", PropertyType::kName, "Thing", ""},
      {"Event", "startDate", PropertyType::kDate, "Interval", ""},
      {"Family", "relationship", PropertyType::kString, "Family", ""},
      {"Membership", "role", PropertyType::kString, "Interest", ""},
      {"Ownership", "percentage", PropertyType::kString, "Ownership", ""},
      {"UnknownLink", "subject", PropertyType::kEntity, "UnknownLink", "Thing"},
      {"CourtCase", "caseNumber", PropertyType::kIdentifier, "CourtCase", ""},
      {"Case", "caseNumber", PropertyType::kIdentifier, "Case", ""},
      {"Case", "openedDate", PropertyType::kDate, "Case", ""},
      {"CaseMembership", "case", PropertyType::kEntity, "CaseMembership", "Case"},
      {"CaseMembership", "member", PropertyType::kEntity, "CaseMembership", "LegalEntity"},
      {"CaseMembership", "role", PropertyType::kString, "Interest", ""},
      {"BorderCrossing", "person", PropertyType::kEntity, "BorderCrossing", "Person"},
      {"BorderCrossing", "document", PropertyType::kEntity, "BorderCrossing", "Identification"},
      {"BorderCrossing", "vehicle", PropertyType::kEntity, "BorderCrossing", "Vehicle"},
      {"BorderCrossing", "date", PropertyType::kDate, "Interval", ""},
      {"Arrest", "case", PropertyType::kEntity, "Arrest", "Case"},
      {"Incident", "involved", PropertyType::kEntity, "Event", "LegalEntity"},
  };
  for (const Case& c : cases) {
    const PropertySpec* spec = MustFind(c.schema).property(c.property);
    ASSERT_NE(spec, nullptr) << c.schema << "." << c.property;
    EXPECT_EQ(spec->name, c.property);
    EXPECT_EQ(spec->type, c.type) << c.schema << "." << c.property;
    ASSERT_NE(spec->owner, nullptr);
    EXPECT_EQ(spec->owner->name(), c.owner) << c.schema << "." << c.property;
    EXPECT_EQ(spec->range, c.range) << c.schema << "." << c.property;
    EXPECT_EQ(MustFind(c.schema).properties().at(c.property), spec);
  }
  EXPECT_EQ(MustFind("Person").property("birthdate"), nullptr);
  EXPECT_EQ(MustFind("Thing").property("firstName"), nullptr);
  // Handling code and friends live on the entity record, not in the schema.
  for (const char* not_a_property : {"handling", "classification", "reliability", "accuracy"}) {
    EXPECT_EQ(MustFind("Person").property(not_a_property), nullptr) << not_a_property;
  }
}

TEST(BuiltinSchemaTest, SchemaFlags) {
  for (const char* name : {"Thing", "Interval", "Interest", "Value"}) {
    EXPECT_TRUE(MustFind(name).abstract()) << name;
  }
  for (const char* name : {"Person", "Company", "Asset", "Case", "Ownership"}) {
    EXPECT_FALSE(MustFind(name).abstract()) << name;
  }
  for (const char* name : {"LegalEntity", "Person", "Organization", "Company", "Address", "BankAccount"}) {
    EXPECT_TRUE(MustFind(name).matchable()) << name;
  }
  for (const char* name : {"Thing", "Ownership", "Payment", "Passport", "BorderCrossing"}) {
    EXPECT_FALSE(MustFind(name).matchable()) << name;
  }
  EXPECT_EQ(MustFind("Person").label(), "Person");
  EXPECT_EQ(MustFind("Person").plural(), "People");
  EXPECT_EQ(MustFind("Person").property("birthDate")->label, "Birth date");
}

TEST(BuiltinSchemaTest, Edges) {
  struct Case {
    const char* schema;
    const char* source;
    const char* target;
    const char* label;
    bool directed;
  };
  const Case cases[] = {
      {"Ownership", "owner", "asset", "owns", true},
      {"Directorship", "director", "organization", "directs", true},
      {"Membership", "member", "organization", "belongs to", true},
      {"Employment", "employee", "employer", "works for", true},
      {"Family", "person", "relative", "related to", false},
      {"Associate", "person", "associate", "associated with", false},
      {"UnknownLink", "subject", "object", "linked to", false},
      {"Payment", "payer", "beneficiary", "paid", true},
      {"CaseMembership", "member", "case", "involved in", true},
  };
  for (const Case& c : cases) {
    const Schema& schema = MustFind(c.schema);
    EXPECT_TRUE(schema.is_edge()) << c.schema;
    EXPECT_EQ(schema.edge_source(), c.source) << c.schema;
    EXPECT_EQ(schema.edge_target(), c.target) << c.schema;
    EXPECT_EQ(schema.edge_label(), c.label) << c.schema;
    EXPECT_EQ(schema.edge_directed(), c.directed) << c.schema;
  }
  for (const char* name : {"Person", "Interest", "BorderCrossing", "Event"}) {
    EXPECT_FALSE(MustFind(name).is_edge()) << name;
  }
}

// Invariants the loader enforces, checked again over the whole built-in set.
TEST(BuiltinSchemaTest, EveryReferenceResolves) {
  std::vector<const Schema*> all = Builtin().All();
  EXPECT_GE(all.size(), 29u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(),
                             [](const Schema* a, const Schema* b) { return a->name() < b->name(); }));
  for (const Schema* schema : all) {
    EXPECT_TRUE(schema->IsA(schema->name()));
    for (const auto& [name, spec] : schema->properties()) {
      EXPECT_EQ(name, spec->name);
      EXPECT_TRUE(schema->IsA(*spec->owner)) << schema->name() << "." << name;
      if (spec->type == PropertyType::kEntity) {
        EXPECT_NE(Builtin().Find(spec->range), nullptr) << schema->name() << "." << name;
      } else {
        EXPECT_TRUE(spec->range.empty()) << schema->name() << "." << name;
      }
    }
    if (schema->is_edge()) {
      ASSERT_NE(schema->property(schema->edge_source()), nullptr) << schema->name();
      ASSERT_NE(schema->property(schema->edge_target()), nullptr) << schema->name();
      EXPECT_EQ(schema->property(schema->edge_source())->type, PropertyType::kEntity);
      EXPECT_EQ(schema->property(schema->edge_target())->type, PropertyType::kEntity);
    }
    if (!schema->abstract()) {
      EXPECT_LE(schema->properties().size(), 40u) << schema->name();
    }
  }
}

TEST(BuiltinSchemaTest, IsOneObjectSafeFromManyThreads) {
  std::vector<const SchemaRegistry*> seen(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&seen, i] {
      seen[i] = &SchemaRegistry::Builtin();
      EXPECT_NE(seen[i]->Find("Person"), nullptr);
    });
  }
  for (std::thread& t : threads) t.join();
  for (const SchemaRegistry* r : seen) EXPECT_EQ(r, &SchemaRegistry::Builtin());
}

TEST(SchemaSuggestionTest, Properties) {
  const Schema& person = MustFind("Person");
  struct Case {
    const char* name;
    const char* suggestion;
  };
  const Case cases[] = {
      {"birthdate", "birthDate"},    // case only
      {"brithDate", "birthDate"},    // transposition
      {"birthDat", "birthDate"},     // deletion
      {"fistName", "firstName"},     // deletion
      {"natinality", "nationality"},
      {"LASTNAME", "lastName"},
      {"name", ""},                  // is a property
      {"dateOfBirth", ""},           // too far
      {"xyz", ""},
      {"", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Builtin().SuggestProperty(person, c.name), c.suggestion) << c.name;
  }
  EXPECT_EQ(Builtin().SuggestProperty(MustFind("Vehicle"), "registrationnumber"), "registrationNumber");
}

TEST(SchemaSuggestionTest, Schemata) {
  EXPECT_EQ(Builtin().SuggestSchema("person"), "Person");
  EXPECT_EQ(Builtin().SuggestSchema("Compnay"), "Company");
  EXPECT_EQ(Builtin().SuggestSchema("Pasport"), "Passport");
  EXPECT_EQ(Builtin().SuggestSchema("BorderCrosing"), "BorderCrossing");
  EXPECT_EQ(Builtin().SuggestSchema("Person"), "");
  EXPECT_EQ(Builtin().SuggestSchema("Banana"), "");
}

Result<std::unique_ptr<SchemaRegistry>> LoadOne(const std::string& text) {
  return SchemaRegistry::Load({{"test.yml", text}});
}

TEST(SchemaLoaderTest, LoadsAcrossFilesInAnyOrder) {
  auto loaded = SchemaRegistry::Load({
      {"b.yml",
       "Child:\n"
       "  extends: [Base]\n"
       "  edge: {source: from, target: to, label: knows}\n"
       "  properties:\n"
       "    to: {type: entity, range: Base}\n"
       "    title: {type: text, label: Better title}\n"},
      {"a.yml",
       "# parents may come later\n"
       "Base:\n"
       "  abstract: true\n"
       "  properties:\n"
       "    title: {type: text}\n"
       "    from: {type: entity, range: Base}\n"},
      {"empty.yml", "# nothing here\n"},
  });
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const SchemaRegistry& registry = **loaded;
  const Schema* child = registry.Find("Child");
  ASSERT_NE(child, nullptr);
  EXPECT_TRUE(child->IsA("Base"));
  EXPECT_FALSE(child->abstract());
  EXPECT_FALSE(child->matchable());
  EXPECT_EQ(child->label(), "Child");   // defaults to the name
  EXPECT_EQ(child->plural(), "Child");  // defaults to the label
  EXPECT_TRUE(child->is_edge());
  EXPECT_TRUE(child->edge_directed());
  EXPECT_EQ(child->property("from")->owner, registry.Find("Base"));
  EXPECT_EQ(child->property("title")->owner, child);  // redeclared: its own wins
  EXPECT_EQ(child->property("title")->label, "Better title");
  EXPECT_EQ(registry.Find("Base")->property("title")->label, "title");
  EXPECT_EQ(registry.All().size(), 2u);
}

TEST(SchemaLoaderTest, DiamondInheritanceSharesOneSpec) {
  auto loaded = LoadOne(
      "Root:\n  properties:\n    name: {type: name}\n"
      "Left:\n  extends: [Root]\n"
      "Right:\n  extends: [Root]\n  properties:\n    extra: {type: string}\n"
      "Bottom:\n  extends: [Left, Right]\n");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Schema* bottom = (*loaded)->Find("Bottom");
  EXPECT_EQ(bottom->property("name"), (*loaded)->Find("Root")->property("name"));
  EXPECT_NE(bottom->property("extra"), nullptr);
  EXPECT_TRUE(bottom->IsA("Root"));
  EXPECT_EQ(bottom->properties().size(), 2u);
}

TEST(SchemaLoaderTest, ErrorsNameFileLineAndKey) {
  struct Case {
    const char* what;
    std::string yaml;
    std::string error;  // expected at the start of the message
  };
  const Case cases[] = {
      {"YAML syntax", "A:\n  properties: {x: {type: string}\n", "test.yml:3: YAML syntax error"},
      {"not a map", "- A\n- B\n", "test.yml:1: a schema file is a map"},
      {"bad schema name", "A:\n  label: a\n9Lives:\n  label: b\n", "test.yml:3: schema names are"},
      {"unknown schema key", "A:\n  label: a\n  extend: [B]\n",
       "test.yml:3: A: unknown key 'extend' (did you mean 'extends'?)"},
      {"extends not a list", "A:\n  extends: B\n", "test.yml:2: A: extends must be a list"},
      {"unknown parent", "A:\n  label: a\nB:\n  extends:\n    - A\n    - Thign\n",
       "test.yml:6: B: unknown parent schema 'Thign' in extends"},
      {"parent twice", "A: {}\nB:\n  extends: [A, A]\n", "test.yml:3: B: parent 'A' listed twice"},
      {"bad boolean", "A:\n  abstract: maybe\n", "test.yml:2: A: abstract must be true or false"},
      {"properties not a map", "A:\n  properties: [x]\n", "test.yml:2: A: properties must be a map"},
      {"bad property name", "A:\n  properties:\n    first-name: {type: string}\n",
       "test.yml:3: A: property names are"},
      {"property not a map", "A:\n  properties:\n    x: string\n",
       "test.yml:3: A.x: a property is a map"},
      {"unknown property key", "A:\n  properties:\n    x: {type: string, lable: X}\n",
       "test.yml:3: A.x: unknown key 'lable' (did you mean 'label'?)"},
      {"missing type", "A:\n  properties:\n    x: {label: X}\n", "test.yml:3: A.x: missing key 'type'"},
      {"unknown type", "A:\n  properties:\n    x:\n      label: X\n      type: datum\n",
       "test.yml:5: A.x: unknown type 'datum' (types: string, text, name, date"},
      {"entity without range", "A:\n  properties:\n    x: {type: entity}\n",
       "test.yml:3: A.x: an entity property needs 'range'"},
      {"entity with unknown range", "Person: {}\nA:\n  properties:\n    x: {type: entity, range: Persn}\n",
       "test.yml:4: A.x: unknown schema 'Persn' in range (did you mean 'Person'?)"},
      {"range on a non-entity", "A:\n  properties:\n    x: {type: string, range: A}\n",
       "test.yml:3: A.x: 'range' is only for entity properties"},
      {"duplicate property", "A:\n  properties:\n    x: {type: string}\n    x: {type: date}\n",
       "test.yml:4: A: duplicate property 'x'"},
      {"duplicate schema", "A:\n  label: a\nB: {}\nA:\n  label: again\n",
       "test.yml:4: duplicate schema 'A' (first declared at test.yml:1)"},
      {"cycle", "A:\n  extends: [C]\nB:\n  extends: [A]\nC:\n  extends: [B]\n",
       "test.yml:1: A: cycle in extends: A -> C -> B -> A"},
      {"self cycle", "A:\n  extends: [A]\n", "test.yml:1: A: cycle in extends: A -> A"},
      {"redeclared with another type",
       "A:\n  properties:\n    x: {type: string}\nB:\n  extends: [A]\n  properties:\n    x: {type: date}\n",
       "test.yml:7: B.x: redeclared as date but A declares it as string"},
      {"parents disagree",
       "A:\n  properties:\n    x: {type: string}\nB:\n  properties:\n    x: {type: date}\n"
       "C:\n  extends: [A, B]\n",
       "test.yml:7: C: property 'x' is inherited from A as string and from B as date"},
      {"edge not a map", "A:\n  edge: yes\n", "test.yml:2: A.edge: must be a map"},
      {"edge without target", "A:\n  edge: {source: x}\n  properties:\n    x: {type: entity, range: A}\n",
       "test.yml:2: A.edge: missing key 'target'"},
      {"edge source not a property",
       "A:\n  edge: {source: ownr, target: y}\n  properties:\n"
       "    owner: {type: entity, range: A}\n    y: {type: entity, range: A}\n",
       "test.yml:2: A.edge: source 'ownr' is not a property of A (did you mean 'owner'?)"},
      {"edge target not an entity",
       "A:\n  edge:\n    source: x\n    target: y\n  properties:\n"
       "    x: {type: entity, range: A}\n    y: {type: string}\n",
       "test.yml:3: A.edge: target 'y' is not an entity property of A"},
  };
  for (const Case& c : cases) {
    auto loaded = LoadOne(c.yaml);
    ASSERT_FALSE(loaded.ok()) << c.what;
    EXPECT_EQ(loaded.status().code(), StatusCode::kInvalidArgument) << c.what;
    EXPECT_EQ(loaded.status().message().substr(0, c.error.size()), c.error)
        << c.what << "\n  got: " << loaded.status().message();
  }
}

TEST(SchemaLoaderTest, DuplicateSchemaAcrossFiles) {
  auto loaded = SchemaRegistry::Load({{"one.yml", "A: {}\n"}, {"two.yml", "# x\nA: {}\n"}});
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().message(), "two.yml:2: duplicate schema 'A' (first declared at one.yml:1)");
}

TEST(SchemaLoaderTest, EveryPropertyTypeNameLoads) {
  std::string yaml = "A:\n  properties:\n";
  for (int i = 0; i <= static_cast<int>(PropertyType::kLanguage); ++i) {
    const auto type = static_cast<PropertyType>(i);
    const std::string name(PropertyTypeName(type));
    yaml += "    p" + name + ": {type: " + name + (type == PropertyType::kEntity ? ", range: A" : "") + "}\n";
  }
  auto loaded = LoadOne(yaml);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->Find("A")->properties().size(), 16u);
  for (int i = 0; i <= static_cast<int>(PropertyType::kLanguage); ++i) {
    const auto type = static_cast<PropertyType>(i);
    EXPECT_EQ(PropertyTypeFromName(PropertyTypeName(type)), type);
    const PropertySpec* spec = (*loaded)->Find("A")->property("p" + std::string(PropertyTypeName(type)));
    ASSERT_NE(spec, nullptr);
    EXPECT_EQ(spec->type, type);
  }
  EXPECT_EQ(PropertyTypeFromName("Date"), std::nullopt);
}

}  // namespace
}  // namespace ura::model
