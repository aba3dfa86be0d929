// common/grpc_status.h: the mapping between the suite's statuses and gRPC's,
// both ways.
#include "common/grpc_status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "common/status.h"

namespace osan {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ToGrpcStatusTest, OkIsOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

TEST(ToGrpcStatusTest, MapsCodesOneToOne) {
  const std::vector<std::pair<absl::StatusCode, grpc::StatusCode>> pairs = {
      {absl::StatusCode::kCancelled, grpc::StatusCode::CANCELLED},
      {absl::StatusCode::kUnknown, grpc::StatusCode::UNKNOWN},
      {absl::StatusCode::kInvalidArgument, grpc::StatusCode::INVALID_ARGUMENT},
      {absl::StatusCode::kDeadlineExceeded, grpc::StatusCode::DEADLINE_EXCEEDED},
      {absl::StatusCode::kNotFound, grpc::StatusCode::NOT_FOUND},
      {absl::StatusCode::kAlreadyExists, grpc::StatusCode::ALREADY_EXISTS},
      {absl::StatusCode::kPermissionDenied, grpc::StatusCode::PERMISSION_DENIED},
      {absl::StatusCode::kResourceExhausted, grpc::StatusCode::RESOURCE_EXHAUSTED},
      {absl::StatusCode::kFailedPrecondition, grpc::StatusCode::FAILED_PRECONDITION},
      {absl::StatusCode::kAborted, grpc::StatusCode::ABORTED},
      {absl::StatusCode::kOutOfRange, grpc::StatusCode::OUT_OF_RANGE},
      {absl::StatusCode::kUnimplemented, grpc::StatusCode::UNIMPLEMENTED},
      {absl::StatusCode::kInternal, grpc::StatusCode::INTERNAL},
      {absl::StatusCode::kUnavailable, grpc::StatusCode::UNAVAILABLE},
      {absl::StatusCode::kDataLoss, grpc::StatusCode::DATA_LOSS},
      {absl::StatusCode::kUnauthenticated, grpc::StatusCode::UNAUTHENTICATED},
  };
  for (const auto& [absl_code, grpc_code] : pairs) {
    EXPECT_EQ(ToGrpcStatus(absl::Status(absl_code, "x")).error_code(), grpc_code)
        << absl::StatusCodeToString(absl_code);
  }
}

TEST(ToGrpcStatusTest, PassesRequestErrorMessagesThrough) {
  const grpc::Status status = ToGrpcStatus(InvalidField("capacity", "must be between 1 and 500"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "capacity: must be between 1 and 500");

  EXPECT_EQ(ToGrpcStatus(absl::NotFoundError("course not found")).error_message(),
            "course not found");
}

TEST(ToGrpcStatusTest, ReplacesInternalAndUnknownMessages) {
  for (const absl::Status& status :
       {absl::InternalError("SQLSTATE 42P01: relation \"sections\" does not exist"),
        absl::UnknownError("SQLSTATE 42P01: relation \"sections\" does not exist")}) {
    const grpc::Status mapped = ToGrpcStatus(status);
    EXPECT_EQ(mapped.error_code(), static_cast<grpc::StatusCode>(status.code()));
    EXPECT_THAT(mapped.error_message(), Not(HasSubstr("SQLSTATE")));
    EXPECT_THAT(mapped.error_message(), Not(HasSubstr("sections")));
    EXPECT_FALSE(mapped.error_message().empty());
  }
}

TEST(FromGrpcStatusTest, KeepsTheCodeAndNamesTheCall) {
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK, "catalog GetSection").ok());
  const absl::Status unavailable = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"), "catalog GetSection");
  EXPECT_EQ(unavailable.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(unavailable.message(), "catalog GetSection: connection refused");
  const absl::Status denied =
      FromGrpcStatus(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "not yours"));
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(), "not yours");
}

TEST(FromGrpcStatusTest, RoundTripsEveryCode) {
  for (int code = 1; code <= static_cast<int>(absl::StatusCode::kUnauthenticated); ++code) {
    const absl::Status original(static_cast<absl::StatusCode>(code), "x");
    EXPECT_EQ(FromGrpcStatus(ToGrpcStatus(original)).code(), original.code()) << code;
  }
}

}  // namespace
}  // namespace osan
