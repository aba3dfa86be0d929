// Server-streaming feeds on the callback API: pages of events are read on
// the worker pool and written to the client one at a time.
#ifndef OSAN_COMMON_FEED_H_
#define OSAN_COMMON_FEED_H_

#include <grpcpp/alarm.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "common/grpc_status.h"
#include "common/log.h"
#include "common/server.h"
#include "common/status.h"

namespace osan::server {

// Streams `Event`s (messages with a `cursor` field) from `fetch(cursor)`,
// which returns the events after `cursor` (an empty page when caught up).
// Without `follow` the stream ends once caught up; with it, the feed looks
// again every `poll_interval` until the client goes away or its token ends
// (`grant`, checked before each fetch and each write: the stream then ends
// with UNAUTHENTICATED). Deletes itself, and so returns the grant's stream
// slot, when the call is done. Reports what it reads and sends to `stats`
// (FeedStats), which must outlive it.
template <class Event>
class FeedReactor final : public grpc::ServerWriteReactor<Event> {
 public:
  using Fetch = std::function<absl::StatusOr<std::vector<Event>>(const std::string& cursor)>;

  static FeedReactor* Start(WorkerPool* workers, FeedStats* stats,
                            std::unique_ptr<StreamGrant> grant, std::string cursor, bool follow,
                            Fetch fetch, absl::Duration poll_interval = absl::Milliseconds(200)) {
    auto* reactor = new FeedReactor(workers, stats, std::move(grant), std::move(cursor), follow,
                                    std::move(fetch), poll_interval);
    stats->Opened(reactor);
    reactor->FetchPage();
    return reactor;
  }

  // Refuses the call at once (e.g. UNAUTHENTICATED) and deletes itself.
  static grpc::ServerWriteReactor<Event>* Refuse(const absl::Status& status) {
    auto* reactor =
        new FeedReactor(nullptr, nullptr, nullptr, "", false, nullptr, absl::ZeroDuration());
    reactor->Finish(ToGrpcStatus(status));
    return reactor;
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      this->Finish(grpc::Status::CANCELLED);
      return;
    }
    stats_->Sent();
    WriteNextOrFetch();
  }

  void OnCancel() override { cancelled_ = true; }
  void OnDone() override {
    if (stats_ != nullptr) {
      stats_->Closed(this);
    }
    delete this;
  }

 private:
  FeedReactor(WorkerPool* workers, FeedStats* stats, std::unique_ptr<StreamGrant> grant,
              std::string cursor, bool follow, Fetch fetch, absl::Duration poll_interval)
      : workers_(workers),
        stats_(stats),
        grant_(std::move(grant)),
        cursor_(std::move(cursor)),
        follow_(follow),
        fetch_(std::move(fetch)),
        poll_interval_(poll_interval) {}

  // Whether the caller's token still holds (StreamGrant::Check); if not,
  // finishes the stream with the reason.
  bool TokenHolds(bool before_send) {
    const absl::Status token = grant_->Check(before_send);
    if (!token.ok()) {
      this->Finish(ToGrpcStatus(token));
    }
    return token.ok();
  }

  void FetchPage() {
    if (cancelled_) {
      this->Finish(grpc::Status::CANCELLED);
      return;
    }
    if (!TokenHolds(/*before_send=*/false)) {
      return;
    }
    const bool queued = workers_->TrySubmit([this] {
      absl::StatusOr<std::vector<Event>> page = fetch_(cursor_);
      if (!page.ok()) {
        this->Finish(ToGrpcStatus(page.status()));
        return;
      }
      page_ = *std::move(page);
      next_ = 0;
      stats_->Read(this, page_.size(), absl::Now());
      WriteNextOrFetch();
    });
    if (!queued) {
      this->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "server busy; retry"));
    }
  }

  void WriteNextOrFetch() {
    if (cancelled_) {
      this->Finish(grpc::Status::CANCELLED);
      return;
    }
    if (next_ < page_.size()) {
      // A whole verification before a page goes out; expiry before each event.
      if (!TokenHolds(/*before_send=*/next_ == 0)) {
        return;
      }
      cursor_ = page_[next_].cursor();
      this->StartWrite(&page_[next_++]);
      return;
    }
    if (!page_.empty()) {
      FetchPage();  // there may be more right away
    } else if (follow_) {
      alarm_.Set(absl::ToChronoTime(absl::Now() + poll_interval_), [this](bool) { FetchPage(); });
    } else {
      this->Finish(grpc::Status::OK);
    }
  }

  WorkerPool* const workers_;
  FeedStats* const stats_;                    // null when refused
  const std::unique_ptr<StreamGrant> grant_;  // null when refused
  std::string cursor_;
  const bool follow_;
  const Fetch fetch_;
  const absl::Duration poll_interval_;
  std::vector<Event> page_;
  size_t next_ = 0;
  std::atomic<bool> cancelled_{false};
  grpc::Alarm alarm_;
};

// Serves a feed method: admits the caller of `context` (Dispatcher::
// OpenStream: token, client certificate, rate, stream slots), then streams
// `read(call, cursor)` pages, read on the worker pool; a refusal of the
// first page (a bad cursor, no right to the feed) ends the stream with its
// status. Each page is read as an audited call of `method`
// (Dispatcher::RunAudited): `read` names each event's student inside its
// transaction, so a page is recorded before it is sent, or not sent.
template <class Event>
grpc::ServerWriteReactor<Event>* ServeFeed(
    Dispatcher* dispatcher, grpc::CallbackServerContext* context, const char* method,
    const std::string& cursor, bool follow,
    std::function<absl::StatusOr<std::vector<Event>>(const CallContext&, const std::string&)>
        read) {
  auto grant = dispatcher->OpenStream(context);
  if (!grant.ok()) {
    log::Info("feed refused", {{"method", method},
                               {"code", absl::StatusCodeToString(grant.status().code())},
                               {"error", std::string(grant.status().message())}});
    return FeedReactor<Event>::Refuse(grant.status());
  }
  const CallContext call = (*grant)->call();
  log::Info("feed opened", {{"method", method},
                            {"institution", call.principal->institution},
                            {"cursor", cursor},
                            {"follow", follow ? "yes" : "no"}});
  return FeedReactor<Event>::Start(
      dispatcher->workers(), dispatcher->feeds(), *std::move(grant), cursor, follow,
      [dispatcher, method, call,
       read = std::move(read)](const std::string& after) -> absl::StatusOr<std::vector<Event>> {
        absl::StatusOr<std::vector<Event>> page;
        OSAN_RETURN_IF_ERROR(dispatcher->RunAudited(method, call, [&] {
          page = read(call, after);
          return page.status();
        }));
        return page;
      });
}

// The most bytes of events in one batch message of a feed (a
// ChangeEventBatch, a ResultEventBatch).
inline constexpr size_t kMaxBatchBytes = 512 * 1024;

// `events`, in order, as `Batch` messages (a `cursor` field: the last event's,
// and a repeated `events` field) of at most kMaxBatchBytes each.
template <class Batch, class Event>
std::vector<Batch> InBatches(std::vector<Event> events) {
  // The most a field's tag and length add to its value's bytes.
  constexpr size_t kFieldFraming = 8;
  std::vector<Batch> batches;
  size_t bytes = 0;
  for (Event& event : events) {
    const size_t size = event.ByteSizeLong() + kFieldFraming;
    if (batches.empty() || bytes + size > kMaxBatchBytes) {
      batches.emplace_back();
      bytes = kFieldFraming + event.cursor().size();  // the batch's own cursor
    }
    bytes += size;
    batches.back().set_cursor(event.cursor());
    *batches.back().add_events() = std::move(event);
  }
  return batches;
}

// ServeFeed of `read`'s events in batches (InBatches): `read` is given a
// page size of thousands, so that a page's cost (a transaction, its audit
// records, a token check) is paid per thousands of events.
template <class Batch, class Event>
grpc::ServerWriteReactor<Batch>* ServeFeedInBatches(
    Dispatcher* dispatcher, grpc::CallbackServerContext* context, const char* method,
    const std::string& cursor, bool follow,
    std::function<absl::StatusOr<std::vector<Event>>(const CallContext&, const std::string&, int)>
        read) {
  constexpr int kBatchPage = 4096;
  return ServeFeed<Batch>(
      dispatcher, context, method, cursor, follow,
      [read = std::move(read)](const CallContext& call,
                               const std::string& after) -> absl::StatusOr<std::vector<Batch>> {
        OSAN_ASSIGN_OR_RETURN(std::vector<Event> events, read(call, after, kBatchPage));
        return InBatches<Batch>(std::move(events));
      });
}

}  // namespace osan::server

#endif  // OSAN_COMMON_FEED_H_
