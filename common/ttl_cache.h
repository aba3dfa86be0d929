// A small cache of answers by name, for lookups in another service or the
// database that many calls repeat: a value is good for `ttl` after it was
// fetched, NOT_FOUND for `negative_ttl` (so that repeated unknown names cost
// one lookup per name and period), and other errors are never kept. It holds
// at most `max_names` names; past that, expired entries go first, and if none
// has expired, all of them. An expired value can still be asked for with
// FindStale, for when the source cannot answer.
#ifndef OSAN_COMMON_TTL_CACHE_H_
#define OSAN_COMMON_TTL_CACHE_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace osan {

template <class Value>
class TtlCache {
 public:
  TtlCache(absl::Duration ttl, absl::Duration negative_ttl, size_t max_names = 20000)
      : ttl_(ttl), negative_ttl_(negative_ttl), max_names_(max_names) {}

  // The answer stored under `name` if it is still good at `now`.
  std::optional<absl::StatusOr<Value>> Find(const std::string& name, absl::Time now) {
    absl::MutexLock lock(&mu_);
    const auto it = entries_.find(name);
    if (it == entries_.end() || Expired(it->second, now)) {
      return std::nullopt;
    }
    return it->second.answer;
  }

  // The value stored under `name`, expired or not, if it was fetched at most
  // `max_age` before `now`; never a NOT_FOUND.
  std::optional<Value> FindStale(const std::string& name, absl::Time now, absl::Duration max_age) {
    absl::MutexLock lock(&mu_);
    const auto it = entries_.find(name);
    if (it == entries_.end() || !it->second.answer.ok() || now - it->second.fetched > max_age) {
      return std::nullopt;
    }
    return *it->second.answer;
  }

  // Keeps `answer`, fetched at `fetched`, if it is a value or NOT_FOUND.
  void Store(const std::string& name, const absl::StatusOr<Value>& answer, absl::Time fetched) {
    if (!answer.ok() && !absl::IsNotFound(answer.status())) {
      return;
    }
    absl::MutexLock lock(&mu_);
    if (entries_.size() >= max_names_ && entries_.count(name) == 0) {
      for (auto it = entries_.begin(); it != entries_.end();) {
        if (Expired(it->second, fetched)) {
          entries_.erase(it++);
        } else {
          ++it;
        }
      }
      if (entries_.size() >= max_names_) {
        entries_.clear();
      }
    }
    entries_.insert_or_assign(name, Entry{answer, fetched});
  }

  // The cached answer for `name`, else `fetch()`'s (kept as Store says).
  // When `fetch()` is UNAVAILABLE (the source cannot answer), the value
  // fetched at most `serve_stale_for` ago, if any, instead.
  template <class Fetch>
  absl::StatusOr<Value> Get(const std::string& name, Fetch&& fetch,
                            absl::Duration serve_stale_for = absl::ZeroDuration()) {
    const absl::Time now = absl::Now();
    if (auto cached = Find(name, now)) {
      return *std::move(cached);
    }
    absl::StatusOr<Value> answer = fetch();
    if (serve_stale_for > absl::ZeroDuration() && absl::IsUnavailable(answer.status())) {
      if (auto stale = FindStale(name, now, serve_stale_for)) {
        return *std::move(stale);
      }
    }
    Store(name, answer, now);
    return answer;
  }

 private:
  struct Entry {
    absl::StatusOr<Value> answer;
    absl::Time fetched;
  };
  bool Expired(const Entry& entry, absl::Time now) const {
    return now - entry.fetched >= (entry.answer.ok() ? ttl_ : negative_ttl_);
  }

  const absl::Duration ttl_;
  const absl::Duration negative_ttl_;
  const size_t max_names_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace osan

#endif  // OSAN_COMMON_TTL_CACHE_H_
