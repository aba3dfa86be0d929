// Unit tests of common/proto_bytes.h.
#include "common/proto_bytes.h"

#include <string>

#include "gtest/gtest.h"
#include "osan/catalog/v1/catalog.pb.h"

namespace osan {
namespace {

// A request with filters of two kinds: a name and an enum.
catalog::v1::ListSectionsRequest FilteredRequest() {
  catalog::v1::ListSectionsRequest request;
  request.set_state(catalog::v1::ENROLLMENT_OPEN);
  request.set_parent("terms/2026-1");
  return request;
}

TEST(BytesWithoutTest, ClearsNamedFieldsOnlyInTheCopy) {
  catalog::v1::ListSectionsRequest request = FilteredRequest();
  request.set_page_token("token");
  request.set_page_size(10);

  catalog::v1::ListSectionsRequest expected = FilteredRequest();
  EXPECT_EQ(BytesWithout(request, {"page_token", "page_size"}), BytesWithout(expected, {}));
  EXPECT_NE(BytesWithout(request, {"page_token"}), BytesWithout(expected, {}));
  // The original is untouched.
  EXPECT_EQ(request.page_token(), "token");
  EXPECT_EQ(request.page_size(), 10);
}

TEST(BytesWithoutTest, IgnoresUnknownNamesAndRoundTrips) {
  const catalog::v1::ListSectionsRequest request = FilteredRequest();
  const std::string bytes = BytesWithout(request, {"no_such_field"});
  catalog::v1::ListSectionsRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  EXPECT_EQ(parsed.parent(), "terms/2026-1");
  EXPECT_EQ(parsed.state(), catalog::v1::ENROLLMENT_OPEN);
}

}  // namespace
}  // namespace osan
