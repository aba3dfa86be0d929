// Status helpers shared by every layer. (The mapping to and from gRPC is in
// common/grpc_status.h, apart: this header is part of the core, which links no
// gRPC.)
#ifndef OSAN_COMMON_STATUS_H_
#define OSAN_COMMON_STATUS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace osan {

// INVALID_ARGUMENT naming the offending field: "<field>: <problem>".
absl::Status InvalidField(absl::string_view field, absl::string_view problem);

}  // namespace osan

// Evaluates `expr` (an absl::Status) and returns it from the enclosing function
// if it is not OK.
#define OSAN_RETURN_IF_ERROR(expr)                        \
  do {                                                    \
    if (auto osan_status_ = (expr); !osan_status_.ok()) { \
      return osan_status_;                                \
    }                                                     \
  } while (false)

#define OSAN_CONCAT_INNER_(a, b) a##b
#define OSAN_CONCAT_(a, b) OSAN_CONCAT_INNER_(a, b)

// `OSAN_ASSIGN_OR_RETURN(auto x, StatusOrExpr());` assigns the value or
// returns the error from the enclosing function.
#define OSAN_ASSIGN_OR_RETURN(lhs, expr) \
  OSAN_ASSIGN_OR_RETURN_IMPL_(OSAN_CONCAT_(osan_statusor_, __LINE__), lhs, expr)
#define OSAN_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) {                                  \
    return tmp.status();                            \
  }                                                 \
  lhs = std::move(tmp).value()

#endif  // OSAN_COMMON_STATUS_H_
