#include "generate/sources.h"

namespace ura::generate {

PersonName NameInScript(const Person& p, Script script) {
  PersonName name{std::string(GivenName(p)), std::string(FamilyName(p))};
  if (script == Script::kNative) return name;
  if (p.culture == Culture::kGreek || p.culture == Culture::kItalian) return name;
  if (p.culture == Culture::kMacedonian) {
    if (script == Script::kSerbianLatin) return name;
    return {ToCyrillic(name.given, CyrillicScript::kMacedonian),
            ToCyrillic(name.family, CyrillicScript::kMacedonian)};
  }
  if (p.culture == Culture::kAlbanian) {
    name = {AlbanianToSerbianLatin(name.given), AlbanianToSerbianLatin(name.family)};
  } else if (p.culture == Culture::kTurkish) {
    name = {TurkishToSerbianLatin(name.given), TurkishToSerbianLatin(name.family)};
  }
  if (script == Script::kSerbianLatin) return name;
  CyrillicScript cyrillic = script == Script::kMacedonianCyrillic ? CyrillicScript::kMacedonian
                                                                  : CyrillicScript::kSerbian;
  return {ToCyrillic(name.given, cyrillic), ToCyrillic(name.family, cyrillic)};
}

PersonName NameInDocument(const Person& p, Country country) {
  bool serbian_orthography = country == Country::kRS || country == Country::kME;
  if (serbian_orthography && (p.culture == Culture::kAlbanian || p.culture == Culture::kTurkish)) {
    return NameInScript(p, Script::kSerbianLatin);
  }
  return NameInScript(p, Script::kNative);
}

FoldStyle MrzStyle(Country country) {
  switch (country) {
    case Country::kRS:
    case Country::kME:
    case Country::kBA:
      return FoldStyle::kSerbian;
    case Country::kDE:
    case Country::kAT:
    case Country::kCH:
      return FoldStyle::kGerman;
    default:
      return FoldStyle::kIcao;
  }
}

void BadRowPlanter::Record(uint64_t row, const char* kind) {
  ++stats_.bad_rows;
  ++stats_.bad_by_kind[kind];
  ctx_.bad_rows->push_back(BadRow{stats_.path, row, kind});
}

void WriteTruthPerson(SourceContext& ctx, uint32_t person, std::string_view source,
                      std::string_view key) {
  std::string line = TruePersonId(person);
  line.push_back(',');
  line.append(source);
  line.push_back(',');
  AppendCsvField(line, key, ',');
  line.push_back('\n');
  ctx.truth_persons->Write(line);
}

Result<std::unique_ptr<OutputFile>> OpenOutput(SourceContext& ctx, const std::string& relative) {
  return OutputFile::Create(*ctx.fs, JoinPath(ctx.out_dir, relative));
}

void FinishTally(SourceContext& ctx, EntityTally& tally, FileStats& stats) {
  tally.Finish();
  stats.entities = tally.Counts();
  tally.MergeInto(*ctx.totals);
}

std::string Padded(uint64_t value, int width) {
  std::string digits = std::to_string(value);
  if (digits.size() < static_cast<size_t>(width)) {
    digits.insert(0, static_cast<size_t>(width) - digits.size(), '0');
  }
  return digits;
}

}  // namespace ura::generate
