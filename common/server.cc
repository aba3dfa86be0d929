#include "common/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <random>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/grpc_status.h"
#include "common/log.h"
#include "common/status.h"

namespace osan::server {

WorkerPool::WorkerPool(int threads, int max_queued) : max_queued_(max_queued) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { Loop(); });
  }
}

WorkerPool::~WorkerPool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (auto& thread : threads_) {
    thread.join();
  }
}

bool WorkerPool::TrySubmit(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  if (stopping_ || queue_.size() >= max_queued_) {
    return false;
  }
  queue_.push_back(std::move(task));
  return true;
}

void WorkerPool::Loop() {
  for (;;) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      const auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || !queue_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) {
        return;  // stopping and drained
      }
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

namespace {

std::string NewTraceId() {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 random(std::random_device{}());
  return absl::StrCat(absl::Hex(random(), absl::kZeroPad16), "-", counter.fetch_add(1));
}

std::string Metadata(const grpc::CallbackServerContext& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  const auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) {
    return "";
  }
  return std::string(it->second.data(), it->second.size());
}

bool UsableTraceId(const std::string& id) { return !id.empty() && id.size() <= 64; }

// The client's `x-request-id` if it sent a usable one, else a new id.
std::string TraceId(const grpc::CallbackServerContext& context) {
  std::string id = Metadata(context, "x-request-id");
  return UsableTraceId(id) ? id : NewTraceId();
}

// The token of an `authorization: Bearer <token>` header, as sent (checked
// by VerifyBearer before use).
std::string BearerToken(const grpc::CallbackServerContext& context) {
  const std::string header = Metadata(context, "authorization");
  return header.size() > 7 ? header.substr(7) : "";
}

absl::StatusOr<auth::Principal> VerifyBearer(const grpc::CallbackServerContext& context,
                                             const auth::TokenVerifier& verifier, absl::Time now) {
  const std::string header = Metadata(context, "authorization");
  if (header.empty()) {
    return absl::UnauthenticatedError("missing bearer token in 'authorization' metadata");
  }
  constexpr absl::string_view kBearer = "Bearer ";
  if (!absl::StartsWithIgnoreCase(header, kBearer)) {
    return absl::UnauthenticatedError("'authorization' metadata must be 'Bearer <token>'");
  }
  return verifier.Verify(absl::string_view(header).substr(kBearer.size()), now);
}

}  // namespace

void FeedStats::Opened(const void* stream) {
  absl::MutexLock lock(&mu_);
  behind_since_[stream] = absl::InfiniteFuture();
}

void FeedStats::Read(const void* stream, size_t messages, absl::Time now) {
  absl::MutexLock lock(&mu_);
  absl::Time& since = behind_since_[stream];
  if (messages == 0) {
    since = absl::InfiniteFuture();
  } else if (since == absl::InfiniteFuture()) {
    since = now;
  }
}

void FeedStats::Closed(const void* stream) {
  absl::MutexLock lock(&mu_);
  behind_since_.erase(stream);
}

int64_t FeedStats::open() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(behind_since_.size());
}

absl::Duration FeedStats::Lag(absl::Time now) const {
  absl::MutexLock lock(&mu_);
  absl::Time earliest = absl::InfiniteFuture();
  for (const auto& [stream, since] : behind_since_) {
    earliest = std::min(earliest, since);
  }
  return earliest < now ? now - earliest : absl::ZeroDuration();
}

bool Dispatcher::Enter() {
  absl::MutexLock lock(&mu_);
  if (draining_) {
    return false;
  }
  ++active_;
  return true;
}

void Dispatcher::Leave() {
  absl::MutexLock lock(&mu_);
  --active_;
}

absl::Status Dispatcher::RunAudited(const char* method, const CallContext& call,
                                    absl::FunctionRef<absl::Status()> work) {
  call.audit = audit::CallRecord({call.principal ? call.principal->institution : "",
                                  call.principal ? auth::RoleName(call.principal->role) : "",
                                  call.peer, method, call.trace_id});
  absl::Status status;
  {
    const audit::TransactionScope scope({&call.audit});
    status = work();
  }
  if (audit_log_ == nullptr) {
    return status;
  }
  if (const absl::Status recorded = audit_log_->Finish(call.audit, status); !recorded.ok()) {
    log::Error("audit records not written", {{"method", method},
                                             {"trace_id", call.trace_id},
                                             {"error", std::string(recorded.message())}});
    if (status.ok()) {
      return absl::UnavailableError(audit::kNotRecorded);
    }
  }
  return status;
}

void Dispatcher::Drain(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  draining_ = true;
  const auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return active_ == 0; };
  mu_.AwaitWithDeadline(absl::Condition(&idle), deadline);
}

namespace {

// Logs the call (at `ok_level` if it succeeded, else at info) and finishes
// it with `status`.
// Counts a call refused by `limit` in `metrics`, if any.
void CountRefusal(Metrics* metrics, const char* limit) {
  if (metrics != nullptr) {
    metrics->Refused(limit);
  }
}

void Reply(Metrics* metrics, grpc::ServerUnaryReactor* reactor, const char* method,
           absl::Time received, const CallContext& call, const absl::Status& status,
           log::Level ok_level = log::Level::kInfo) {
  if (metrics != nullptr) {
    metrics->Call(method, status.code(), absl::Now() - received);
  }
  const log::Level level = status.ok() ? ok_level : log::Level::kInfo;
  if (!log::Enabled(level)) {
    reactor->Finish(ToGrpcStatus(status));
    return;
  }
  log::Write(level, "rpc",
             {{"method", method},
              {"code", absl::StatusCodeToString(status.code())},
              {"ms", absl::StrCat(absl::ToInt64Milliseconds(absl::Now() - received))},
              {"institution", call.principal ? call.principal->institution : ""},
              {"trace_id", call.trace_id},
              {"peer", call.peer},
              {"error", status.ok() ? "" : std::string(status.message())}});
  reactor->Finish(ToGrpcStatus(status));
}

}  // namespace

absl::Status CertificateAgrees(const grpc::ServerContextBase& context,
                               const auth::Principal& principal) {
  const auto auth_context = context.auth_context();
  if (auth_context == nullptr) {
    return absl::OkStatus();
  }
  const auto names = auth_context->FindPropertyValues("x509_common_name");
  if (names.empty()) {
    return absl::OkStatus();  // no client certificate (plain TLS or plaintext)
  }
  const std::string name(names.front().data(), names.front().size());
  if (name == principal.institution || absl::StartsWith(name, kServiceCertificatePrefix)) {
    return absl::OkStatus();
  }
  return absl::UnauthenticatedError(absl::StrCat("the client certificate (", name,
                                                 ") does not belong to the token's institution (",
                                                 principal.institution, ")"));
}

namespace {

thread_local std::string current_caller;

// Sets CurrentCaller() for its lifetime.
class CurrentCallerScope {
 public:
  explicit CurrentCallerScope(std::string institution)
      : previous_(std::exchange(current_caller, std::move(institution))) {}
  ~CurrentCallerScope() { current_caller = std::move(previous_); }
  CurrentCallerScope(const CurrentCallerScope&) = delete;
  CurrentCallerScope& operator=(const CurrentCallerScope&) = delete;

 private:
  std::string previous_;
};

// The longest institution code a relayed call may name.
constexpr size_t kMaxRelayedCallerSize = 64;

// Whose rate a call of `principal` counts against: its institution's, or for
// a service of the suite relaying a caller, that caller's.
std::string RateKey(const grpc::CallbackServerContext& context, const auth::Principal& principal) {
  if (principal.role == auth::v1::SERVICE) {
    std::string relayed = Metadata(context, kOnBehalfOfMetadata);
    if (!relayed.empty() && relayed.size() <= kMaxRelayedCallerSize) {
      return relayed;
    }
  }
  return principal.institution;
}

// "ipv4:127.0.0.1:5000" -> "ipv4:127.0.0.1": the rate-limit key of an
// unauthenticated caller.
std::string PeerHost(const std::string& peer) { return peer.substr(0, peer.rfind(':')); }

// RESOURCE_EXHAUSTED for `why`, telling when to retry: after `wait`, in the
// message and in the standard `grpc-retry-pushback-ms` trailer that gRPC
// clients with retry policies honour.
absl::Status Throttled(grpc::CallbackServerContext* context, absl::string_view why,
                       absl::Duration wait) {
  const int64_t ms =
      std::max<int64_t>(1, absl::ToInt64Milliseconds(absl::Ceil(wait, absl::Milliseconds(1))));
  context->AddTrailingMetadata("grpc-retry-pushback-ms", absl::StrCat(ms));
  return absl::ResourceExhaustedError(absl::StrCat(why, "; retry in ", ms, " ms"));
}

// Counts a call of `key` at `now`: RESOURCE_EXHAUSTED with a retry hint when
// `limiter` refuses it.
absl::Status ChargeRate(grpc::CallbackServerContext& context, RateLimiter& limiter,
                        const std::string& key, absl::Time now) {
  const absl::Duration wait = limiter.Acquire(key, now);
  if (wait <= absl::ZeroDuration()) {
    return absl::OkStatus();
  }
  return Throttled(&context, "rate limit exceeded", wait);
}

}  // namespace

const std::string& CurrentCaller() { return current_caller; }

void AddOnBehalfOf(grpc::ClientContext& context) {
  if (!current_caller.empty()) {
    context.AddMetadata(kOnBehalfOfMetadata, current_caller);
  }
}

absl::Status Dispatcher::Admit(const auth::Principal& principal, absl::Time deadline) const {
  if (!admission_) {
    return absl::OkStatus();
  }
  const CurrentCallerScope caller(principal.institution);
  return admission_(principal, deadline);
}

absl::Status Dispatcher::AuthenticationFailed(grpc::CallbackServerContext* context,
                                              const std::string& peer, absl::Time now,
                                              absl::Status failure) {
  const absl::Duration wait = failed_auth_rate_limiter_.Acquire(PeerHost(peer), now);
  if (wait > absl::ZeroDuration()) {
    CountRefusal(metrics_, "failed_authentication");
    return Throttled(context, "too many failed authentications from this address", wait);
  }
  return failure;
}

absl::StatusOr<auth::Principal> Dispatcher::AuthenticateCall(
    const grpc::CallbackServerContext& context, absl::Time now) const {
  OSAN_ASSIGN_OR_RETURN(auth::Principal principal, VerifyBearer(context, *verifier_, now));
  OSAN_RETURN_IF_ERROR(CertificateAgrees(context, principal));
  return principal;
}

grpc::ServerUnaryReactor* Dispatcher::Dispatch(grpc::CallbackServerContext* context,
                                               const char* method, Access access, Handler handler,
                                               Execution execution) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // Latency and deadlines bound real waits: the wall clock. What is decided
  // about the call (its token, its rate): the dispatcher's clock.
  const absl::Time received = absl::Now();
  const absl::Time now = Now();
  CallContext call;
  const std::string client_trace_id = Metadata(*context, "x-request-id");
  call.trace_id = UsableTraceId(client_trace_id) ? client_trace_id : NewTraceId();
  // Public answers come from memory at rates where an extra header costs
  // more than the answer: they echo only a trace id the client sent.
  if (access != Access::kPublic || call.trace_id == client_trace_id) {
    context->AddInitialMetadata("x-request-id", call.trace_id);
  }
  call.peer = context->peer();
  call.deadline =
      std::min(absl::FromChrono(context->deadline()), received + options_.max_call_duration);
  if (!Enter()) {
    Reply(metrics_, reactor, method, received, call,
          absl::UnavailableError("the server is shutting down; retry"));
    return reactor;
  }
  if (access == Access::kAuthenticated) {
    auto principal = AuthenticateCall(*context, now);
    if (!principal.ok()) {
      Reply(metrics_, reactor, method, received, call,
            AuthenticationFailed(context, call.peer, now, principal.status()));
      Leave();
      return reactor;
    }
    call.principal = *std::move(principal);
    call.bearer_token = BearerToken(*context);
  }
  const absl::Status admitted =
      access == Access::kPublic
          ? ChargeRate(*context, public_rate_limiter_, PeerHost(call.peer), now)
          : ChargeRate(*context, rate_limiter_, RateKey(*context, *call.principal), now);
  if (!admitted.ok()) {
    CountRefusal(metrics_, access == Access::kPublic ? "public_address" : "institution");
    Reply(metrics_, reactor, method, received, call, admitted);
    Leave();
    return reactor;
  }
  auto work = [this, context, reactor, method, received, execution, call = std::move(call),
               handler = std::move(handler)]() mutable {
    call.now = Now();
    absl::Status status;
    if (context->IsCancelled()) {
      status = absl::CancelledError("the call was cancelled");
    } else if (call.deadline <= absl::Now()) {
      status = absl::DeadlineExceededError("the deadline passed before the call could start");
    } else {
      const CurrentCallerScope caller(call.principal ? call.principal->institution : "");
      // Public methods read no student's data: nothing to audit.
      status = call.principal ? Admit(*call.principal, call.deadline) : absl::OkStatus();
      if (status.ok()) {
        status = call.principal ? RunAudited(method, call, [&] { return handler(call); })
                                : handler(call);
      }
    }
    // Answers from memory come at rates where a line each would cost more
    // than the answer: their successes are logged at debug level only.
    Reply(metrics_, reactor, method, received, call, status,
          execution == Execution::kInline ? log::Level::kDebug : log::Level::kInfo);
    Leave();
  };
  if (execution == Execution::kInline && access == Access::kPublic) {
    work();
    return reactor;
  }
  if (!workers_->TrySubmit(std::move(work))) {
    log::Warning("rpc refused: worker queue full", {{"method", method}});
    CountRefusal(metrics_, "worker_queue");
    if (metrics_ != nullptr) {
      metrics_->Call(method, absl::StatusCode::kResourceExhausted, absl::Now() - received);
    }
    reactor->Finish(ToGrpcStatus(
        Throttled(context, "server busy: too many requests queued", options_.busy_retry_after)));
    Leave();
  }
  return reactor;
}

bool Dispatcher::TakeStreamSlot(const std::string& institution) {
  absl::MutexLock lock(&mu_);
  int& open = open_streams_[institution];
  if (options_.max_streams_per_institution > 0 && open >= options_.max_streams_per_institution) {
    return false;
  }
  ++open;
  return true;
}

void Dispatcher::ReturnStreamSlot(const std::string& institution) {
  absl::MutexLock lock(&mu_);
  if (--open_streams_[institution] <= 0) {
    open_streams_.erase(institution);
  }
}

absl::StatusOr<std::unique_ptr<StreamGrant>> Dispatcher::OpenStream(
    grpc::CallbackServerContext* context) {
  const absl::Time now = Now();
  OSAN_ASSIGN_OR_RETURN(auth::Principal principal, AuthenticateCall(*context, now));
  OSAN_RETURN_IF_ERROR(ChargeRate(*context, rate_limiter_, RateKey(*context, principal), now));
  OSAN_RETURN_IF_ERROR(Admit(principal, absl::Now() + options_.max_call_duration));
  if (!TakeStreamSlot(principal.institution)) {
    return absl::ResourceExhaustedError(
        absl::StrCat("too many open streams for ", principal.institution, " (at most ",
                     options_.max_streams_per_institution, "); close one first"));
  }
  CallContext call;
  call.principal = std::move(principal);
  call.bearer_token = BearerToken(*context);
  call.trace_id = TraceId(*context);
  call.peer = context->peer();
  return std::unique_ptr<StreamGrant>(new StreamGrant(this, std::move(call), now));
}

StreamGrant::~StreamGrant() { dispatcher_->ReturnStreamSlot(call_.principal->institution); }

absl::Status StreamGrant::Check(bool before_send) { return Check(dispatcher_->Now(), before_send); }

absl::Status StreamGrant::Check(absl::Time now, bool before_send) {
  constexpr absl::string_view kReconnect = "reconnect with a fresh token and your cursor";
  if (now > call_.principal->expires) {
    return absl::UnauthenticatedError(absl::StrCat("token expired; ", kReconnect));
  }
  if (!before_send && now - last_verified_ < dispatcher_->options_.stream_recheck_period) {
    return absl::OkStatus();
  }
  const auto verified = dispatcher_->verifier_->Verify(call_.bearer_token, now);
  if (!verified.ok()) {
    return absl::UnauthenticatedError(absl::StrCat(verified.status().message(), "; ", kReconnect));
  }
  OSAN_RETURN_IF_ERROR(dispatcher_->Admit(*call_.principal, absl::Now() + absl::Seconds(5)));
  last_verified_ = now;
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
  std::string content;
  char buffer[1 << 16];
  while (content.size() < max_bytes && in) {
    in.read(buffer,
            static_cast<std::streamsize>(std::min(sizeof buffer, max_bytes - content.size())));
    content.append(buffer, static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) {
    return absl::DataLossError(absl::StrCat("error while reading ", path));
  }
  return content;
}

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    const ServerOptions& options, const std::vector<grpc::Service*>& services,
    const std::vector<std::string>& service_names) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    OSAN_ASSIGN_OR_RETURN(std::string cert, ReadFile(options.tls_cert_file));
    OSAN_ASSIGN_OR_RETURN(std::string key, ReadFile(options.tls_key_file));
    grpc::SslServerCredentialsOptions ssl(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
    ssl.pem_key_cert_pairs.push_back({key, cert});
    if (!options.tls_client_ca_file.empty()) {
      OSAN_ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadFile(options.tls_client_ca_file));
      ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    credentials = grpc::SslServerCredentials(ssl);
  }
  std::unique_ptr<Server> server(new Server());
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address, credentials, &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_receive_bytes);
  builder.SetMaxSendMessageSize(options.max_send_bytes);
  for (grpc::Service* service : services) {
    builder.RegisterService(service);
  }
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address, " (in use or not local?)"));
  }
  server->service_names_ = service_names;
  auto* health = server->server_->GetHealthCheckService();
  for (const std::string& name : service_names) {
    health->SetServingStatus(name, true);
  }
  return server;
}

void Server::SetServing(bool serving) {
  absl::MutexLock lock(&mu_);
  if (shut_down_) {
    return;
  }
  // Every name registered (each service's, and "") takes the status.
  server_->GetHealthCheckService()->SetServingStatus(serving);
}

void Server::Shutdown(absl::Duration grace) {
  {
    absl::MutexLock lock(&mu_);
    if (shut_down_) {
      return;
    }
    shut_down_ = true;
  }
  server_->GetHealthCheckService()->Shutdown();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
}

void BlockShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

void WaitForShutdownSignal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  int received = 0;
  sigwait(&signals, &received);
  log::Info("shutting down", {{"signal", received == SIGINT ? "SIGINT" : "SIGTERM"}});
}

}  // namespace osan::server
