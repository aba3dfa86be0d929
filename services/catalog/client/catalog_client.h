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
// call per name and second (see common/ttl_cache.h, which also bounds the
// names held).
#ifndef OSAN_SERVICES_CATALOG_CLIENT_CATALOG_CLIENT_H_
#define OSAN_SERVICES_CATALOG_CLIENT_CATALOG_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/ttl_cache.h"
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
                absl::Duration negative_ttl = absl::Seconds(1),
                absl::Duration stale_for = absl::Hours(1));

  enum class Freshness {
    // A cached copy younger than the TTL will do (the hot paths).
    kCachedOk,
    // Ask catalog now (decisions on the section's state: allocation,
    // cancellation); refreshes the cache.
    kFresh,
  };

  // Whether `principal` may act (catalog/domain/registry.h), from the cached
  // institution of its token.
  absl::Status Admit(const auth::Principal& principal, absl::Time deadline);

  // The institution named `name` (`institutions/{code}`), cached like
  // sections; while catalog cannot be reached, the last one fetched within
  // `stale_for` (so that an outage of the catalog does not stop the callers
  // it already knew; suspensions take effect once it is back).
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

  // Every section of `term` (`terms/{year}-{semester}`) that `filter`'s
  // host, state and programme fields select (its parent and page fields are
  // set here), read now over as many pages as it takes. NOT_FOUND if the term
  // does not exist.
  absl::StatusOr<std::vector<catalog::v1::Section>> TermSections(
      const std::string& term, catalog::v1::ListSectionsRequest filter, absl::Time deadline);

 private:
  template <class Request, class Response>
  absl::Status Call(grpc::Status (catalog::v1::CatalogService::Stub::*method)(grpc::ClientContext*,
                                                                              const Request&,
                                                                              Response*),
                    const Request& request, Response* response, absl::Time deadline);

  // GetSection's call (GetSectionFacts), uncached.
  absl::StatusOr<SectionFacts> FetchSection(const std::string& name, absl::Time deadline);

  std::unique_ptr<catalog::v1::CatalogService::Stub> stub_;
  auth::ServiceToken token_;
  const absl::Duration timeout_;
  const absl::Duration stale_for_;

  TtlCache<SectionFacts> sections_;
  TtlCache<catalog::v1::Institution> institutions_;
};

}  // namespace osan::catalog

#endif  // OSAN_SERVICES_CATALOG_CLIENT_CATALOG_CLIENT_H_
