#include "generate/calendar.h"

namespace ura::generate {

namespace {

void AppendDigits(std::string& out, int32_t value, int width) {
  char buf[8];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf, static_cast<size_t>(width));
}

}  // namespace

void AppendCivil(std::string& out, const CivilDate& date, const char* layout) {
  for (const char* p = layout; *p != '\0';) {
    if (p[0] == 'Y' && p[1] == 'Y' && p[2] == 'Y' && p[3] == 'Y') {
      AppendDigits(out, date.year, 4);
      p += 4;
    } else if (p[0] == 'M' && p[1] == 'M') {
      AppendDigits(out, date.month, 2);
      p += 2;
    } else if (p[0] == 'D' && p[1] == 'D') {
      AppendDigits(out, date.day, 2);
      p += 2;
    } else {
      out.push_back(*p++);
    }
  }
}

void AppendDate(std::string& out, int32_t days, const char* layout) {
  AppendCivil(out, CivilFromDays(days), layout);
}

void AppendTime(std::string& out, int32_t minute_of_day) {
  AppendDigits(out, minute_of_day / 60, 2);
  out.push_back(':');
  AppendDigits(out, minute_of_day % 60, 2);
}

}  // namespace ura::generate
