// Unit tests of common/request_log.h.
#include "common/request_log.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "osan/catalog/v1/catalog.pb.h"

namespace osan {
namespace {

catalog::v1::CreateCourseRequest CreateCourse(absl::string_view request_id) {
  catalog::v1::CreateCourseRequest request;
  request.set_request_id(std::string(request_id));
  request.mutable_course()->set_title("인공지능 기초");
  request.mutable_course()->set_host("institutions/OSAN-AICODING");
  request.mutable_course()->set_credits(4);
  return request;
}

constexpr absl::string_view kCreateCourse = "/osan.catalog.v1.CatalogService/CreateCourse";

TEST(MakeRequestKeyTest, CopiesCallerMethodAndRequestId) {
  const db::RequestKey key =
      db::MakeRequestKey("OSAN-AICODING", kCreateCourse, "req-1", CreateCourse("req-1"));
  EXPECT_EQ(key.principal, "OSAN-AICODING");
  EXPECT_EQ(key.method, kCreateCourse);
  EXPECT_EQ(key.request_id, "req-1");
  EXPECT_EQ(key.fingerprint.size(), 32u);  // SHA-256
}

TEST(MakeRequestKeyTest, FingerprintIgnoresRequestId) {
  const db::RequestKey first =
      db::MakeRequestKey("OSAN-AICODING", kCreateCourse, "req-1", CreateCourse("req-1"));
  const db::RequestKey second =
      db::MakeRequestKey("OSAN-AICODING", kCreateCourse, "req-2", CreateCourse("req-2"));
  EXPECT_EQ(first.fingerprint, second.fingerprint);
  EXPECT_NE(first.request_id, second.request_id);
}

TEST(MakeRequestKeyTest, DifferentRequestsHaveDifferentFingerprints) {
  const db::RequestKey base =
      db::MakeRequestKey("OSAN-AICODING", kCreateCourse, "req-1", CreateCourse("req-1"));

  catalog::v1::CreateCourseRequest title = CreateCourse("req-1");
  title.mutable_course()->set_title("인공지능 심화");
  EXPECT_NE(db::MakeRequestKey("OSAN-AICODING", kCreateCourse, "req-1", title).fingerprint,
            base.fingerprint);

  catalog::v1::CreateCourseRequest credits = CreateCourse("req-1");
  credits.mutable_course()->set_credits(3);
  EXPECT_NE(db::MakeRequestKey("OSAN-AICODING", kCreateCourse, "req-1", credits).fingerprint,
            base.fingerprint);
}

// Idempotent on the in-memory log: the mutation runs once per key, a retry
// gets its response, a reused id with another request is refused, and a
// failed mutation leaves the key free.
TEST(IdempotentTest, RunsOncePerKeyAndReplaysTheResponse) {
  db::MemoryRequestLog log;
  const auto request = CreateCourse("req-1");
  const db::RequestKey key = db::MakeRequestKey("OSAN-AICODING", kCreateCourse, "req-1", request);
  int runs = 0;
  const auto create = [&]() -> absl::StatusOr<catalog::v1::Course> {
    ++runs;
    catalog::v1::Course course = request.course();
    course.set_name(absl::StrCat("courses/", runs));
    return course;
  };
  const auto first = db::Idempotent<catalog::v1::Course>(log, key, create);
  const auto retry = db::Idempotent<catalog::v1::Course>(log, key, create);
  ASSERT_TRUE(first.ok() && retry.ok());
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(retry->name(), "courses/1");

  auto other = CreateCourse("req-1");
  other.mutable_course()->set_credits(2);
  const auto reused = db::Idempotent<catalog::v1::Course>(
      log, db::MakeRequestKey("OSAN-AICODING", kCreateCourse, "req-1", other), create);
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(reused.status().message()), ::testing::HasSubstr("request_id"));
  EXPECT_EQ(runs, 1);
}

}  // namespace
}  // namespace osan
