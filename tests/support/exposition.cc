#include "tests/support/exposition.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace osan::testing {

namespace {

bool IsMetricName(absl::string_view name) {
  if (name.empty() || absl::ascii_isdigit(name[0])) {
    return false;
  }
  for (const char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_' && c != ':') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<Sample> ParseExposition(const std::string& text, std::vector<std::string>* errors) {
  std::map<std::string, std::string> types;
  std::vector<Sample> samples;
  const auto family_of = [&](const std::string& name) -> std::optional<std::string> {
    if (types.count(name) != 0) {
      return name;
    }
    // A histogram's series, or a summary's _sum and _count.
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      absl::string_view base = name;
      if (!absl::ConsumeSuffix(&base, suffix) || types.count(std::string(base)) == 0) {
        continue;
      }
      const std::string& type = types[std::string(base)];
      if (type == "histogram" || (type == "summary" && std::string(suffix) != "_bucket")) {
        return std::string(base);
      }
    }
    return std::nullopt;
  };
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    const std::string where = absl::StrCat("line ", number, ": ", line);
    if (line.empty()) {
      continue;
    }
    if (absl::ConsumePrefix(&line, "# ")) {
      const std::vector<std::string> parts = absl::StrSplit(line, absl::MaxSplits(' ', 2));
      if (parts.size() < 2 || (parts[0] != "HELP" && parts[0] != "TYPE") ||
          !IsMetricName(parts[1])) {
        errors->push_back("bad comment, " + where);
        continue;
      }
      if (parts[0] == "TYPE") {
        static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary",
                                                     "untyped"};
        if (parts.size() != 3 || kTypes.count(parts[2]) == 0 || types.count(parts[1]) != 0) {
          errors->push_back("bad or repeated TYPE, " + where);
        }
        types[parts[1]] = parts.size() == 3 ? parts[2] : "";
      }
      continue;
    }
    Sample sample;
    const size_t name_end = line.find_first_of("{ ");
    sample.name = std::string(line.substr(0, name_end));
    if (name_end == absl::string_view::npos || !IsMetricName(sample.name)) {
      errors->push_back("bad sample name, " + where);
      continue;
    }
    line.remove_prefix(name_end);
    if (absl::ConsumePrefix(&line, "{")) {
      while (!absl::ConsumePrefix(&line, "}")) {
        const size_t eq = line.find("=\"");
        if (eq == absl::string_view::npos || !IsMetricName(line.substr(0, eq))) {
          errors->push_back("bad label, " + where);
          break;
        }
        const std::string label(line.substr(0, eq));
        line.remove_prefix(eq + 2);
        std::string value;
        while (!line.empty() && line[0] != '"') {
          if (line[0] == '\\' && line.size() > 1) {
            value.push_back(line[1] == 'n' ? '\n' : line[1]);
            line.remove_prefix(2);
          } else {
            value.push_back(line[0]);
            line.remove_prefix(1);
          }
        }
        if (!absl::ConsumePrefix(&line, "\"") || sample.labels.count(label) != 0) {
          errors->push_back("bad or repeated label value, " + where);
          break;
        }
        sample.labels[label] = value;
        absl::ConsumePrefix(&line, ",");
      }
    }
    const std::vector<std::string> rest = absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (rest.empty() || rest.size() > 2 ||
        !(absl::SimpleAtod(rest[0], &sample.value) || rest[0] == "+Inf" || rest[0] == "-Inf" ||
          rest[0] == "NaN")) {
      errors->push_back("bad value, " + where);
      continue;
    }
    if (!family_of(sample.name)) {
      errors->push_back("sample of no typed family, " + where);
    }
    samples.push_back(std::move(sample));
  }
  return samples;
}

std::optional<double> ValueOf(const std::vector<Sample>& samples, const std::string& name,
                              const std::map<std::string, std::string>& labels) {
  for (const Sample& sample : samples) {
    if (sample.name == name && sample.labels == labels) {
      return sample.value;
    }
  }
  return std::nullopt;
}

}  // namespace osan::testing
