// Unit tests of common/idempotency.h.
#include "common/idempotency.h"

#include <string>

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

}  // namespace
}  // namespace osan
