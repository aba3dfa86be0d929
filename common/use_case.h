// Building blocks of the services' use cases: idempotent mutations in one
// transaction, optimistic concurrency, and keyset-paged reads. `store` is a
// UnitOfWork<Records> (common/unit_of_work.h): bodies receive Records&, which
// is a RequestLog.
#ifndef OSAN_COMMON_USE_CASE_H_
#define OSAN_COMMON_USE_CASE_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "common/paging.h"
#include "common/request_log.h"
#include "common/server.h"
#include "common/status.h"
#include "common/unit_of_work.h"
#include "common/validation.h"

namespace osan {

// Checks the request's request_id and runs `mutate(tx)` at most once per
// (caller, method, request_id) in one transaction (AIP-155): a retry returns
// the first response. `name_students(resource)` then names the students whose
// data the response shows (CallContext::Audit), in the same transaction,
// whether the mutation ran or its first response is replayed.
template <class Resource, class Store, class Request, class Mutate, class NameStudents>
absl::StatusOr<Resource> IdempotentMutation(Store& store, const server::CallContext& call,
                                            const char* method, const Request& request,
                                            Mutate&& mutate, NameStudents&& name_students) {
  OSAN_RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  const db::RequestKey key =
      db::MakeRequestKey(call.principal->institution, method, request.request_id(), request);
  return store.Transact([&](typename Store::Transaction& tx) -> absl::StatusOr<Resource> {
    OSAN_ASSIGN_OR_RETURN(Resource resource,
                          db::Idempotent<Resource>(tx, key, [&] { return mutate(tx); }));
    name_students(resource);
    return resource;
  });
}

// The same for a response that shows no student's data beyond what the
// request names (and the use case names before mutating).
template <class Resource, class Store, class Request, class Mutate>
absl::StatusOr<Resource> IdempotentMutation(Store& store, const server::CallContext& call,
                                            const char* method, const Request& request,
                                            Mutate&& mutate) {
  return IdempotentMutation<Resource>(store, call, method, request, std::forward<Mutate>(mutate),
                                      [](const Resource&) {});
}

// AIP-154: a given etag must match the current one, else ABORTED.
inline absl::Status CheckEtag(const std::string& given, const std::string& current) {
  if (!given.empty() && given != current) {
    return absl::AbortedError(
        "etag mismatch: the resource changed since it was read; read it again and retry");
  }
  return absl::OkStatus();
}

// Whom a page token is issued to (common/paging.h): the caller's
// institution; empty for public methods.
inline std::string PageCaller(const server::CallContext& call) {
  return call.principal ? call.principal->institution : "";
}

// Reads one page of a keyset query. `fetch(tx, after, limit)` returns a page
// with `items` and an optional `next_position`; the next page token binds that
// position to the request's filters and to the caller, for a limited time.
template <class Store, class Request, class Fetch>
auto ReadPage(Store& store, const PageTokens& tokens, const server::CallContext& call,
              const char* method, const Request& request, Fetch&& fetch,
              std::string* next_page_token)
    -> decltype(fetch(std::declval<typename Store::Transaction&>(), std::string(), 0)) {
  OSAN_ASSIGN_OR_RETURN(const int limit, EffectivePageSize(request.page_size()));
  const std::string scope = QueryScope(method, request);
  OSAN_ASSIGN_OR_RETURN(const std::string after,
                        tokens.Decode(scope, PageCaller(call), request.page_token(), call.now));
  auto page =
      store.Transact([&](typename Store::Transaction& tx) { return fetch(tx, after, limit); });
  if (page.ok() && page->next_position.has_value()) {
    *next_page_token = tokens.Encode(scope, PageCaller(call), *page->next_position, call.now);
  }
  return page;
}

}  // namespace osan

#endif  // OSAN_COMMON_USE_CASE_H_
