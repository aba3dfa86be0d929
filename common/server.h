// Server bootstrap shared by the services: the callback API with blocking work
// on a bounded worker pool, authentication, health, reflection, request logs
// and graceful shutdown.
#ifndef OSAN_COMMON_SERVER_H_
#define OSAN_COMMON_SERVER_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/service_type.h>

#include <atomic>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/audit.h"
#include "common/auth.h"
#include "common/metrics.h"
#include "common/rate_limiter.h"

namespace osan::server {

// A fixed set of threads running queued tasks. The queue is bounded: when it
// is full, TrySubmit refuses instead of letting latency grow without limit.
class WorkerPool {
 public:
  WorkerPool(int threads, int max_queued);
  // Runs every task already queued, then joins the threads.
  ~WorkerPool();

  // Queues `task`; false if the queue is full or the pool is stopping.
  bool TrySubmit(std::function<void()> task);
  // Tasks waiting for a thread now.
  size_t queued() {
    absl::MutexLock lock(&mu_);
    return queue_.size();
  }

 private:
  void Loop();

  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

// What a handler knows about the call it serves.
struct CallContext {
  // The authenticated caller; empty on public methods.
  std::optional<auth::Principal> principal;
  // The caller's bearer token as received, for calls made on the caller's
  // behalf to another service of the suite (which checks it again).
  std::string bearer_token;
  // From the client's `x-request-id` metadata, else generated. For logs only:
  // idempotency uses the request message's own request_id.
  std::string trace_id;
  std::string peer;
  absl::Time deadline = absl::InfiniteFuture();
  absl::Time now;

  // Names a student whose data the call reads or writes, for the audit trail
  // (common/audit.h): name students inside the transaction that reads or
  // writes their data, so that its commit carries their records; and before
  // authorization checks, so that refused attempts are recorded too.
  void Audit(std::string student) const { audit.Name(std::move(student)); }
  mutable audit::CallRecord audit;
};

enum class Access {
  // No token needed (the public listing).
  kPublic,
  // A valid bearer token in `authorization: Bearer <token>`.
  kAuthenticated,
};

// Where a handler runs.
enum class Execution {
  // On the worker pool: handlers that block (database work).
  kWorker,
  // At once on gRPC's callback thread: handlers that never block, such as
  // answers from memory. No queue, so never refused for a full one. Public
  // calls only: an authenticated call runs on the worker pool whatever it
  // asks, since admitting its caller may wait on the registry.
  kInline,
};

class StreamGrant;

// What a service's feeds are doing, for its metrics: streams open, messages
// sent, and the feed lag: how long the stream furthest behind has been
// reading pages without catching up (0 when every stream is caught up).
// Thread-safe; streams are told apart by their address.
class FeedStats {
 public:
  void Opened(const void* stream);
  // A page of `messages` read for `stream` at `now`: a non-empty page marks
  // it behind (since `now`, unless it was already), an empty one caught up.
  void Read(const void* stream, size_t messages, absl::Time now);
  void Sent() { sent_.fetch_add(1, std::memory_order_relaxed); }
  void Closed(const void* stream);

  int64_t open() const;
  int64_t sent() const { return sent_.load(std::memory_order_relaxed); }
  absl::Duration Lag(absl::Time now) const;

 private:
  std::atomic<int64_t> sent_{0};
  mutable absl::Mutex mu_;
  // Per open stream: since when it has been behind, InfiniteFuture() when
  // caught up.
  absl::flat_hash_map<const void*, absl::Time> behind_since_ ABSL_GUARDED_BY(mu_);
};

// Runs handlers for one service: authenticates, moves the work off gRPC's
// callback threads onto the worker pool, maps the result and logs the call.
class Dispatcher {
 public:
  struct Options {
    // Calls per second (and burst) each institution may make; excess calls
    // get RESOURCE_EXHAUSTED with a retry hint. <= 0 disables the limit.
    double rate_per_second = 0;
    double rate_burst = 0;
    // The same for calls of Access::kPublic, per peer host.
    double public_rate_per_second = 0;
    double public_rate_burst = 0;
    // The same for calls whose authentication fails, per peer host: once an
    // address has spent this budget, its failures are answered
    // RESOURCE_EXHAUSTED with a retry hint instead of UNAUTHENTICATED.
    double failed_auth_rate_per_second = 0;
    double failed_auth_burst = 0;
    // The retry hint of a call refused because the worker queue is full.
    absl::Duration busy_retry_after = absl::Milliseconds(250);
    // The longest a call may run, whatever deadline the client set (or none).
    absl::Duration max_call_duration = absl::Seconds(30);
    // How often an open stream verifies its caller's token again (signature,
    // revocation) while it runs; it also does before each page it sends, and
    // checks expiry before every message.
    absl::Duration stream_recheck_period = absl::Seconds(30);
    // Streams one institution may have open at once; more get
    // RESOURCE_EXHAUSTED. <= 0 disables the limit.
    int max_streams_per_institution = 8;
    // What time it is for what the dispatcher and its streams decide: token
    // checks, rate limits and `CallContext::now`. Deadlines bound real waits
    // and stay on the wall clock.
    std::function<absl::Time()> clock = absl::Now;
  };

  Dispatcher(WorkerPool* workers, const auth::TokenVerifier* verifier, Options options)
      : workers_(workers),
        verifier_(verifier),
        options_(options),
        rate_limiter_(options.rate_per_second, options.rate_burst),
        public_rate_limiter_(options.public_rate_per_second, options.public_rate_burst),
        failed_auth_rate_limiter_(options.failed_auth_rate_per_second, options.failed_auth_burst) {}

  using Handler = std::function<absl::Status(const CallContext&)>;

  // Starts `handler` for the call and returns its reactor. The handler fills
  // in the response (captured by the caller) and returns the call's status.
  // Full queue or rate limit -> RESOURCE_EXHAUSTED with a retry hint (the
  // `grpc-retry-pushback-ms` trailer and "retry in N ms" in the message);
  // missing/invalid token -> UNAUTHENTICATED.
  grpc::ServerUnaryReactor* Dispatch(grpc::CallbackServerContext* context, const char* method,
                                     Access access, Handler handler,
                                     Execution execution = Execution::kWorker);

  // Admits a server-streaming call: authenticates it as Dispatch does (bearer
  // token, client certificate), counts it against the caller's rate limit
  // and takes one of its institution's stream slots. UNAUTHENTICATED or
  // RESOURCE_EXHAUSTED (with a retry hint) when refused.
  absl::StatusOr<std::unique_ptr<StreamGrant>> OpenStream(grpc::CallbackServerContext* context);

  // The time by options().clock.
  absl::Time Now() const { return options_.clock(); }

  WorkerPool* workers() const { return workers_; }
  FeedStats* feeds() { return &feeds_; }

  // Where audit records of calls that name students go (none by default).
  void SetAuditLog(audit::AuditLog* log) { audit_log_ = log; }
  // Counts every call answered and every refusal by a limit in `metrics`,
  // which must outlive the calls. Call before serving.
  void SetMetrics(Metrics* metrics) { metrics_ = metrics; }

  // Decides whether an authenticated caller may act at all (for the suite:
  // catalog/domain/registry.h); its error is the call's answer. Runs before
  // each handler (on the thread the handler runs on), when a stream opens
  // and whenever a stream verifies its token again. Set before the server
  // takes calls; none by default.
  using Admission = std::function<absl::Status(const auth::Principal&, absl::Time deadline)>;
  void SetAdmission(Admission admission) { admission_ = std::move(admission); }

  // Runs `work` as `method` for `call`, with the audit trail: transactions it
  // commits record the students it names, and those still unrecorded when it
  // ends are recorded with its outcome before this returns. Fails closed: if
  // those records cannot be written, an OK outcome becomes UNAVAILABLE, so no
  // student data leaves unrecorded. Dispatch runs every handler this way;
  // streaming methods run each page of theirs this way.
  absl::Status RunAudited(const char* method, const CallContext& call,
                          absl::FunctionRef<absl::Status()> work);

  // Stops taking calls (new ones get UNAVAILABLE, so clients retry elsewhere)
  // and waits until the calls already taken have finished, or `deadline`.
  void Drain(absl::Time deadline);

 private:
  // What to answer a call from `peer` whose authentication failed with
  // `failure`: `failure`, or RESOURCE_EXHAUSTED once the peer has failed too
  // often (Options::failed_auth_rate_per_second).
  absl::Status AuthenticationFailed(grpc::CallbackServerContext* context, const std::string& peer,
                                    absl::Time now, absl::Status failure);
  friend class StreamGrant;

  // admission_'s verdict on `principal` (its lookups in other services
  // count against the principal's rate); OK without one.
  absl::Status Admit(const auth::Principal& principal, absl::Time deadline) const;

  // Counts a call in; false if draining.
  bool Enter();
  void Leave();
  // The caller of `context`: its bearer token verified at `now`, and agreeing
  // with its client certificate (CertificateAgrees).
  absl::StatusOr<auth::Principal> AuthenticateCall(const grpc::CallbackServerContext& context,
                                                   absl::Time now) const;
  // Takes one of `institution`'s stream slots; false if all are taken.
  bool TakeStreamSlot(const std::string& institution);
  void ReturnStreamSlot(const std::string& institution);

  WorkerPool* const workers_;
  const auth::TokenVerifier* const verifier_;
  const Options options_;
  RateLimiter rate_limiter_;
  RateLimiter public_rate_limiter_;
  RateLimiter failed_auth_rate_limiter_;
  Admission admission_;
  audit::AuditLog* audit_log_ = nullptr;
  Metrics* metrics_ = nullptr;
  FeedStats feeds_;
  absl::Mutex mu_;
  int active_ ABSL_GUARDED_BY(mu_) = 0;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
  std::map<std::string, int> open_streams_ ABSL_GUARDED_BY(mu_);
};

// An open server stream's hold on its caller (Dispatcher::OpenStream): the
// token it was opened with, checked again while the stream runs, and one of
// the institution's stream slots, returned when the grant is destroyed.
// Used by one stream at a time (not concurrently).
class StreamGrant {
 public:
  ~StreamGrant();
  StreamGrant(const StreamGrant&) = delete;
  StreamGrant& operator=(const StreamGrant&) = delete;

  // The stream's call context, for RunAudited.
  const CallContext& call() const { return call_; }

  // OK while the caller's token still holds at `now`. Checks expiry every
  // time; verifies the whole token again (signature, revocation) when
  // `before_send`, or when the last verification is a re-check period old.
  // Otherwise UNAUTHENTICATED telling the client to reconnect with a fresh
  // token and its cursor.
  absl::Status Check(absl::Time now, bool before_send);
  // The same at the dispatcher's time.
  absl::Status Check(bool before_send);

 private:
  friend class Dispatcher;
  StreamGrant(Dispatcher* dispatcher, CallContext call, absl::Time verified)
      : dispatcher_(dispatcher), call_(std::move(call)), last_verified_(verified) {}

  Dispatcher* const dispatcher_;
  const CallContext call_;
  absl::Time last_verified_;
};

// Relayed calls. When a service of the suite calls another with its own
// SERVICE token while serving a caller, it names that caller's institution
// in this metadata, and the callee counts the call against that
// institution's rate, not the relaying service's: one school cannot spend
// what a service may ask of another for everyone. Honoured from SERVICE
// callers only (whose tokens only the services' own keys sign).
inline constexpr char kOnBehalfOfMetadata[] = "x-osan-on-behalf-of";

// The institution whose call the current thread serves: set by the
// Dispatcher around admission and the handler of an authenticated call;
// empty elsewhere (public calls, background work).
const std::string& CurrentCaller();

// Adds kOnBehalfOfMetadata naming CurrentCaller() to `context`, if there is
// one. For clients that call another service with their own SERVICE token.
void AddOnBehalfOf(grpc::ClientContext& context);

// Certificates of the suite's own services have common names starting with
// this; they may relay a caller's token (see CertificateAgrees).
inline constexpr absl::string_view kServiceCertificatePrefix = auth::kSuiteServicePrefix;

// With mutual TLS, the client certificate's common name must be the token's
// institution, or a service of the suite relaying its caller's token;
// UNAUTHENTICATED otherwise. Without a client certificate, OK.
absl::Status CertificateAgrees(const grpc::ServerContextBase& context,
                               const auth::Principal& principal);

// Serves one unary method: `(core->*handler)(call, *request)` runs through
// `dispatcher` (on a worker unless `execution` says otherwise), and its value
// becomes the response.
template <class Core, class Request, class Response>
grpc::ServerUnaryReactor* ServeUnary(
    Dispatcher& dispatcher, grpc::CallbackServerContext* context, const char* method, Access access,
    Core* core, absl::StatusOr<Response> (Core::*handler)(const CallContext&, const Request&),
    const Request* request, Response* response, Execution execution = Execution::kWorker) {
  return dispatcher.Dispatch(
      context, method, access,
      [core, handler, request, response](const CallContext& call) {
        absl::StatusOr<Response> result = (core->*handler)(call, *request);
        if (!result.ok()) {
          return result.status();
        }
        *response = *std::move(result);
        return absl::OkStatus();
      },
      execution);
}

// The largest answer a server sends (each message of a stream): the API's
// bound on every reply (docs/design.md, "Every answer at most 1 MiB").
inline constexpr int kMaxReplyBytes = 1 << 20;

struct ServerOptions {
  // host:port; port 0 picks a free port (see Server::port()).
  std::string listen_address = "127.0.0.1:0";
  // PEM files. With cert and key the server speaks TLS; with a client CA it
  // also requires client certificates signed by it.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  // Largest request accepted.
  int max_receive_bytes = 4 << 20;
  // Largest answer sent: kMaxReplyBytes. Pages, batches and exports are
  // sized to stay under it (tests/integration/reply_size_test.cc walks them at
  // Gyeonggi scale); one that grew past it fails with RESOURCE_EXHAUSTED
  // rather than burden a caller with it.
  int max_send_bytes = kMaxReplyBytes;
};

// A running gRPC server with health checking and reflection.
class Server {
 public:
  // Builds and starts a server for `services`, whose full names (such as
  // "osan.catalog.v1.CatalogService") are reported SERVING by grpc.health.v1.
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      const ServerOptions& options, const std::vector<grpc::Service*>& services,
      const std::vector<std::string>& service_names);

  int port() const { return port_; }

  // Reports every service (and the server as a whole, "") SERVING or
  // NOT_SERVING to health checks; ignored once shut down.
  void SetServing(bool serving);

  // Reports NOT_SERVING to health checks, stops accepting calls, lets calls
  // in flight finish for up to `grace`, then cancels the rest. Idempotent.
  // (Callers that drain their dispatcher first pass a zero grace.)
  void Shutdown(absl::Duration grace);

 private:
  Server() = default;
  std::unique_ptr<grpc::Server> server_;
  std::vector<std::string> service_names_;
  int port_ = 0;
  absl::Mutex mu_;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts
// afterwards, so that WaitForShutdownSignal receives them synchronously.
void BlockShutdownSignals();

// Blocks until SIGINT or SIGTERM arrives. The signals must have been blocked
// with BlockShutdownSignals() before any thread started.
void WaitForShutdownSignal();

// Reads a whole file, or its first `max_bytes` bytes (the rest is not read,
// so a huge file or an endless stream such as /dev/zero costs no more); an
// error names the path.
absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     size_t max_bytes = std::numeric_limits<size_t>::max());

}  // namespace osan::server

#endif  // OSAN_COMMON_SERVER_H_
