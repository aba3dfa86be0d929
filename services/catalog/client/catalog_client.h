// Other services' view of the catalog: sections with their course and term,
// fetched over gRPC with the calling service's own identity, and cached
// briefly.
//
// Caching: entries live `ttl` (default 5 s). That is safe for what enrollment
// decides with them: once a section's enrolment opens, catalog freezes its
// meetings, eligibility and policy and lets capacity only grow, so a stale
// entry can under-fill a section (the seat row keeps the larger capacity) but
// never overbook it; a section closed or cancelled less than `ttl` ago may
// still take applications for that long. Decisions that hinge on the state
// (allocation, cancellation) ask with Freshness::kFresh. Entries are replaced
// on expiry or a fresh read; there is no other invalidation.
//
// Names catalog does not know are cached too, for `negative_ttl` (default
// 1 s), so that a caller repeating unknown names costs catalog at most one
// call per name and second. Each cache holds at most kMaxCachedNames names;
// past that, expired entries go, and if none has expired, all of them.
#ifndef OSAN_SERVICES_CATALOG_CLIENT_CATALOG_CLIENT_H_
#define OSAN_SERVICES_CATALOG_CLIENT_CATALOG_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"

namespace osan::catalog {

struct SectionFacts {
  catalog::v1::Section section;
  catalog::v1::Course course;
  catalog::v1::Term term;
};

class CatalogClient {
 public:
  // `signer` issues this service's tokens (institution `service_name`, role
  // SERVICE).
  CatalogClient(std::shared_ptr<grpc::Channel> channel, auth::TokenSigner signer,
                std::string service_name, absl::Duration ttl = absl::Seconds(5),
                absl::Duration timeout = absl::Seconds(2),
                absl::Duration negative_ttl = absl::Seconds(1));

  static constexpr size_t kMaxCachedNames = 20000;

  enum class Freshness {
    // A cached copy younger than the TTL will do (the hot paths).
    kCachedOk,
    // Ask catalog now (decisions on the section's state: allocation,
    // cancellation); refreshes the cache.
    kFresh,
  };

  // The institution named `name` (`institutions/{code}`), cached like sections.
  absl::StatusOr<catalog::v1::Institution> GetInstitution(const std::string& name,
                                                          absl::Time deadline);

  // The section named `name` with its course and term. NOT_FOUND if catalog
  // has no such section; UNAVAILABLE (quickly) if catalog cannot be reached;
  // each call waits at most `timeout`, and never past `deadline`.
  absl::StatusOr<SectionFacts> GetSection(const std::string& name, absl::Time deadline,
                                          Freshness freshness = Freshness::kCachedOk);

  // The programme named `name`, read now (not cached). NOT_FOUND if there
  // is none.
  absl::StatusOr<catalog::v1::Programme> GetProgramme(const std::string& name, absl::Time deadline);

  // Every section of `term` (`terms/{year}-{semester}`) that `programme`
  // funds, in any state, read now over as many pages as it takes. NOT_FOUND
  // if the term does not exist.
  absl::StatusOr<std::vector<catalog::v1::Section>> ProgrammeSections(const std::string& programme,
                                                                      const std::string& term,
                                                                      absl::Time deadline);

 private:
  template <class Request, class Response>
  absl::Status Call(grpc::Status (catalog::v1::CatalogService::Stub::*method)(grpc::ClientContext*,
                                                                              const Request&,
                                                                              Response*),
                    const Request& request, Response* response, absl::Time deadline);

  // GetSection's three calls, uncached.
  absl::StatusOr<SectionFacts> FetchSection(const std::string& name, absl::Time deadline);

  std::unique_ptr<catalog::v1::CatalogService::Stub> stub_;
  auth::ServiceToken token_;
  const absl::Duration timeout_;

  // Answers by name: a value, good for `ttl` after it was fetched, or
  // NOT_FOUND, good for `negative_ttl`.
  template <class Value>
  class TtlCache {
   public:
    TtlCache(absl::Duration ttl, absl::Duration negative_ttl)
        : ttl_(ttl), negative_ttl_(negative_ttl) {}
    // The answer stored under `name` if it is still good at `now`.
    std::optional<absl::StatusOr<Value>> Find(const std::string& name, absl::Time now) {
      absl::MutexLock lock(&mu_);
      const auto it = entries_.find(name);
      if (it == entries_.end() || Expired(it->second, now)) {
        return std::nullopt;
      }
      return it->second.answer;
    }
    // Keeps `answer` if it is a value or NOT_FOUND (other errors pass).
    void Store(const std::string& name, const absl::StatusOr<Value>& answer, absl::Time fetched) {
      if (!answer.ok() && !absl::IsNotFound(answer.status())) {
        return;
      }
      absl::MutexLock lock(&mu_);
      if (entries_.size() >= kMaxCachedNames && entries_.count(name) == 0) {
        for (auto it = entries_.begin(); it != entries_.end();) {
          if (Expired(it->second, fetched)) {
            entries_.erase(it++);
          } else {
            ++it;
          }
        }
        if (entries_.size() >= kMaxCachedNames) {
          entries_.clear();
        }
      }
      entries_.insert_or_assign(name, Entry{answer, fetched});
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
    absl::Mutex mu_;
    absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  };
  TtlCache<SectionFacts> sections_;
  TtlCache<catalog::v1::Institution> institutions_;
};

}  // namespace osan::catalog

#endif  // OSAN_SERVICES_CATALOG_CLIENT_CATALOG_CLIENT_H_
