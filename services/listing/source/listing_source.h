// Keeps the listing the page shows. Polls the catalog's public listing,
// passing the version it holds so that an unchanged listing costs one small
// reply, and enrollment's public seat counts; swaps in a new immutable
// Listing when either changed. The page is thus at most one poll interval
// (plus enrollment's seat-count cache) behind the services, and keeps
// serving the last listing while they cannot be reached.
#ifndef OSAN_SERVICES_LISTING_SOURCE_LISTING_SOURCE_H_
#define OSAN_SERVICES_LISTING_SOURCE_LISTING_SOURCE_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/metrics.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "osan/enrollment/v1/enrollment.grpc.pb.h"
#include "services/listing/domain/listing.h"

namespace osan::listing {

class ListingSource {
 public:
  // Calls carry `token`'s SERVICE token when not null (the listing reads only
  // public methods, which need none).
  ListingSource(std::shared_ptr<grpc::Channel> catalog, std::shared_ptr<grpc::Channel> enrollment,
                std::shared_ptr<auth::ServiceToken> token, absl::Duration call_timeout);
  ~ListingSource();  // Stop()

  // One poll now. An error if the catalog could not be read (the listing
  // stays as it was); seat counts that cannot be read keep their last value.
  absl::Status Refresh();
  // Polls every `interval` on a thread of its own until Stop().
  void Start(absl::Duration interval);
  void Stop();

  // The current listing; nullptr until a poll succeeded.
  std::shared_ptr<const Listing> Current() const;

  // Its series in `metrics`, read at each scrape (so this must outlive
  // `metrics`' serving): osan_listing_age_seconds, the time since a poll last
  // succeeded (-1 before the first), and osan_listing_refresh_failures_total.
  void SampleInto(Metrics& metrics) const;

 private:
  void Call(grpc::ClientContext& context);
  // Refresh's work, under refresh_mu_.
  absl::Status Poll() ABSL_EXCLUSIVE_LOCKS_REQUIRED(refresh_mu_);

  std::unique_ptr<catalog::v1::PublicListingService::Stub> catalog_;
  std::unique_ptr<enrollment::v1::PublicSeatsService::Stub> enrollment_;
  const std::shared_ptr<auth::ServiceToken> token_;  // may be null
  const absl::Duration call_timeout_;

  absl::Mutex refresh_mu_;  // one poll at a time
  std::string catalog_version_ ABSL_GUARDED_BY(refresh_mu_);
  std::string term_ ABSL_GUARDED_BY(refresh_mu_);
  std::vector<catalog::v1::PublicSection> sections_ ABSL_GUARDED_BY(refresh_mu_);
  std::vector<enrollment::v1::SeatCount> seats_ ABSL_GUARDED_BY(refresh_mu_);
  // The last seat counts as read, serialized: what tells a change.
  std::string seats_counts_ ABSL_GUARDED_BY(refresh_mu_);

  mutable absl::Mutex mu_;
  std::shared_ptr<const Listing> current_ ABSL_GUARDED_BY(mu_);
  absl::Time last_refreshed_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::atomic<int64_t> failed_refreshes_{0};

  absl::Notification stop_;
  std::thread poller_;
};

}  // namespace osan::listing

#endif  // OSAN_SERVICES_LISTING_SOURCE_LISTING_SOURCE_H_
