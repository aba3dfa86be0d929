#include "services/listing/source/listing_source.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/grpc_status.h"
#include "common/log.h"

namespace osan::listing {

namespace cv1 = catalog::v1;
namespace ev1 = enrollment::v1;

namespace {

constexpr int kCatalogPageSize = 500;

}  // namespace

ListingSource::ListingSource(std::shared_ptr<grpc::Channel> catalog,
                             std::shared_ptr<grpc::Channel> enrollment,
                             std::shared_ptr<auth::ServiceToken> token, absl::Duration call_timeout)
    : catalog_(cv1::PublicListingService::NewStub(catalog)),
      enrollment_(ev1::PublicSeatsService::NewStub(enrollment)),
      token_(std::move(token)),
      call_timeout_(call_timeout) {}

ListingSource::~ListingSource() { Stop(); }

void ListingSource::Call(grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + call_timeout_));
  if (token_) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token_->Current(absl::Now())));
  }
}

absl::Status ListingSource::Refresh() {
  absl::MutexLock lock(&refresh_mu_);
  const absl::Status status = Poll();
  if (status.ok()) {
    absl::MutexLock current(&mu_);
    last_refreshed_ = absl::Now();
  } else {
    failed_refreshes_.fetch_add(1, std::memory_order_relaxed);
  }
  return status;
}

absl::Status ListingSource::Poll() {
  bool changed = false;

  // Every page of the open term, unless the listing has not changed.
  cv1::ListPublicSectionsRequest request;
  request.set_page_size(kCatalogPageSize);
  request.set_view(cv1::PUBLIC_SECTION_VIEW_FULL);  // section pages show every field
  request.set_known_version(catalog_version_);
  std::vector<cv1::PublicSection> sections;
  std::optional<std::string> version;  // set once a page arrived
  std::string term;
  do {
    cv1::ListPublicSectionsResponse response;
    grpc::ClientContext context;
    Call(context);
    const grpc::Status status = catalog_->ListPublicSections(&context, request, &response);
    if (!status.ok()) {
      return FromGrpcStatus(status, "catalog ListPublicSections");
    }
    if (response.not_modified()) {
      break;
    }
    if (version && response.version() != *version) {
      return absl::AbortedError("the catalog's listing changed while it was read; next poll");
    }
    version = response.version();
    term = response.term();
    for (cv1::PublicSection& section : *response.mutable_sections()) {
      sections.push_back(std::move(section));
    }
    request.set_known_version("");
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  if (version) {
    catalog_version_ = *version;
    term_ = term;
    sections_ = std::move(sections);
    changed = true;
  }

  ev1::ListSeatCountsRequest seats_request;
  seats_request.set_term(term_);
  ev1::ListSeatCountsResponse seats;
  grpc::ClientContext context;
  Call(context);
  if (const grpc::Status status = enrollment_->ListSeatCounts(&context, seats_request, &seats);
      !status.ok()) {
    log::Warning("seat counts unavailable; showing the last ones",
                 {{"error", status.error_message()}});
  } else {
    seats.clear_read_time();  // a new read time alone changes nothing
    std::string counts = seats.SerializeAsString();
    if (counts != seats_counts_) {
      seats_counts_ = std::move(counts);
      seats_.assign(seats.seats().begin(), seats.seats().end());
      changed = true;
    }
  }

  if (changed) {
    auto listing =
        std::make_shared<const Listing>(term_, catalog_version_, sections_, seats_,
                                        absl::StrCat(std::hash<std::string>{}(seats_counts_)));
    absl::MutexLock current(&mu_);
    current_ = std::move(listing);
  }
  return absl::OkStatus();
}

void ListingSource::Start(absl::Duration interval) {
  poller_ = std::thread([this, interval] {
    do {
      if (const absl::Status status = Refresh(); !status.ok()) {
        log::Warning("listing refresh failed; serving the last listing",
                     {{"error", std::string(status.message())}});
      }
    } while (!stop_.WaitForNotificationWithTimeout(interval));
  });
}

void ListingSource::Stop() {
  if (!stop_.HasBeenNotified()) {
    stop_.Notify();
  }
  if (poller_.joinable()) {
    poller_.join();
  }
}

std::shared_ptr<const Listing> ListingSource::Current() const {
  absl::MutexLock lock(&mu_);
  return current_;
}

void ListingSource::SampleInto(Metrics& metrics) const {
  metrics.Sample("osan_listing_age_seconds",
                 "Seconds since the listing was last read from the services; -1 before the "
                 "first read.",
                 Metrics::Kind::kGauge, [this] {
                   absl::MutexLock lock(&mu_);
                   return last_refreshed_ == absl::InfinitePast()
                              ? -1.0
                              : absl::ToDoubleSeconds(absl::Now() - last_refreshed_);
                 });
  metrics.Sample("osan_listing_refresh_failures_total",
                 "Polls of the services that failed (the page kept the last listing).",
                 Metrics::Kind::kCounter, [this] {
                   return static_cast<double>(failed_refreshes_.load(std::memory_order_relaxed));
                 });
}

}  // namespace osan::listing
