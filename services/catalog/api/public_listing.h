// The public listing (PublicListingService), served from memory.
//
// Every publicly visible section of every term, joined with its course, host
// and term facts, is held in an immutable snapshot; calls filter, search and
// page it in memory and never touch the database, so a city web front end
// (one address, thousands of visitors) costs the catalog about what a health
// check costs. A new snapshot replaces the old one atomically (shared_ptr):
// a call in progress keeps the one it started with.
//
// Freshness, with any number of catalog replicas on one database: every
// transaction that writes institutions, terms, programmes, courses or
// sections bumps the listing version in the same transaction (triggers,
// migrations 002_listing_version.sql, 003_programmes.sql). A refresher
// thread reads that version every
// `refresh_interval` and, when it changed, reads the listing anew in one
// REPEATABLE READ snapshot. A change committed through any replica is
// therefore listed by every replica within refresh_interval plus the time
// to read the listing (a few milliseconds for a few hundred sections):
// within 1 s with the default 250 ms. A change committed through this
// replica is listed by its very next call (NoteWrite): read-your-writes.
//
// Cost of a call: O(log n) to find the page in the term's sections, then a
// scan of the term's sections from there until the page is full, each
// tested against the filters (the keyword against the course's title and
// description, lower-cased once when the snapshot is built). A term holds
// at most a few thousand sections, which bounds every call. The serialized
// answer is kept with the snapshot, so a query asked again (the city's
// front page, a popular filter) costs a hash lookup.
#ifndef OSAN_SERVICES_CATALOG_API_PUBLIC_LISTING_H_
#define OSAN_SERVICES_CATALOG_API_PUBLIC_LISTING_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/paging.h"
#include "common/server.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "services/catalog/store/records.h"

namespace osan::catalog {

class PublicListing {
 public:
  struct Options {
    // How often the refresher checks the listing version (see above).
    absl::Duration refresh_interval = absl::Milliseconds(250);
  };

  // Reads the first snapshot (an error means the listing cannot be served)
  // and starts the refresher.
  static absl::StatusOr<std::unique_ptr<PublicListing>> Start(store::Store* store,
                                                              PageTokens page_tokens,
                                                              Options options);
  // Stops the refresher.
  ~PublicListing();

  // This process committed a write that may change the listing: the next
  // call reads a new snapshot before it answers.
  void NoteWrite() { writes_.fetch_add(1); }

  // Whether the next call reads a new snapshot first (after NoteWrite), and
  // so blocks on the database: callers then answer it on a worker thread.
  // Otherwise calls never block.
  bool RefreshDue() const { return writes_.load() != writes_refreshed_.load(); }

  using Call = server::CallContext;

  // As PublicListingService documents, serialized (a ListPublicSectionsResponse):
  // `version` is the snapshot's listing version, and a request whose
  // `known_version` equals it gets `not_modified` with only `term` and
  // `version`. The answer to a query is computed and serialized once per
  // snapshot and then shared by every caller asking the same.
  absl::StatusOr<std::shared_ptr<const std::string>> ListPublicSections(
      const Call& call, const v1::ListPublicSectionsRequest& request);
  absl::StatusOr<v1::PublicSection> GetPublicSection(const Call& call,
                                                     const v1::GetPublicSectionRequest& request);

  struct Snapshot;

 private:
  PublicListing(store::Store* store, PageTokens page_tokens, Options options)
      : store_(store), page_tokens_(std::move(page_tokens)), options_(options) {}

  // The snapshot to answer from, refreshed first if RefreshDue().
  std::shared_ptr<const Snapshot> Current();
  // Reads a new snapshot if the listing version differs from the current
  // one's (or, with `always`, in any case) and installs it; then counts the
  // writes noted before it began as refreshed.
  absl::Status Refresh(bool always);
  // Refresh's read: the new snapshot installed, if any.
  absl::Status ReadSnapshot(bool always, const std::shared_ptr<const Snapshot>& current);
  void RefreshLoop();

  store::Store* const store_;
  const PageTokens page_tokens_;
  const Options options_;
  // Writes noted, and their count when the last finished refresh began:
  // while a refresh runs, the writes it covers are not yet counted, so a call
  // after a write waits for it (refresh_mu_) instead of answering from the
  // snapshot before the write.
  std::atomic<uint64_t> writes_{0};
  std::atomic<uint64_t> writes_refreshed_{0};
  // Read with std::atomic_load, replaced with std::atomic_store.
  std::shared_ptr<const Snapshot> snapshot_;
  // Held while a snapshot is read, so that one is read at a time.
  absl::Mutex refresh_mu_;
  absl::Notification stop_;
  std::thread refresher_;
};

}  // namespace osan::catalog

#endif  // OSAN_SERVICES_CATALOG_API_PUBLIC_LISTING_H_
