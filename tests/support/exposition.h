// Prometheus' text exposition format (version 0.0.4) read strictly, for
// tests that scrape /metrics.
#ifndef OSAN_TESTS_SUPPORT_EXPOSITION_H_
#define OSAN_TESTS_SUPPORT_EXPOSITION_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace osan::testing {

// One sample: its metric name and labels (sorted by name), and its value.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Parses `text` as the exposition format, strictly: HELP and TYPE lines
// before their family's samples, each family typed once, every sample of a
// typed family (a histogram's as _bucket, _sum and _count, a summary's also
// as _sum and _count), label values quoted with \\, \" and \n escapes,
// values numbers. Failures are added to `errors`.
std::vector<Sample> ParseExposition(const std::string& text, std::vector<std::string>* errors);

// The value of the sample `name` with exactly `labels`, if there is one.
std::optional<double> ValueOf(const std::vector<Sample>& samples, const std::string& name,
                              const std::map<std::string, std::string>& labels);

}  // namespace osan::testing

#endif  // OSAN_TESTS_SUPPORT_EXPOSITION_H_
