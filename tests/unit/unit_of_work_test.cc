// Unit tests of common/unit_of_work.h: the in-memory twin commits a
// transaction whole or not at all, as the database does.
#include "common/unit_of_work.h"

#include <map>
#include <string>

#include "gtest/gtest.h"

namespace osan {
namespace {

class Counters {
 public:
  virtual ~Counters() = default;
  virtual void Add(const std::string& name, int n) = 0;
  virtual int Get(const std::string& name) const = 0;
};

class MemoryCounters final : public Counters {
 public:
  void Add(const std::string& name, int n) override { values_[name] += n; }
  int Get(const std::string& name) const override {
    const auto it = values_.find(name);
    return it == values_.end() ? 0 : it->second;
  }

 private:
  std::map<std::string, int> values_;
};

using Store = MemoryUnitOfWork<Counters, MemoryCounters>;

TEST(MemoryUnitOfWorkTest, CommitsWhatAnOkBodyWroteAndReturnsItsValue) {
  Store store;
  const absl::StatusOr<int> total = store.Transact([](Counters& counters) -> absl::StatusOr<int> {
    counters.Add("a", 2);
    counters.Add("a", 3);
    return counters.Get("a");
  });
  ASSERT_TRUE(total.ok());
  EXPECT_EQ(*total, 5);
  EXPECT_EQ(store.Committed().Get("a"), 5);
}

TEST(MemoryUnitOfWorkTest, RollsBackEverythingAFailedBodyWrote) {
  Store store;
  ASSERT_TRUE(store
                  .Transact([](Counters& counters) {
                    counters.Add("a", 1);
                    return absl::OkStatus();
                  })
                  .ok());
  const absl::Status failed = store.Transact([](Counters& counters) {
    counters.Add("a", 10);
    counters.Add("b", 1);
    return absl::FailedPreconditionError("refused");
  });
  EXPECT_EQ(failed.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.Committed().Get("a"), 1);
  EXPECT_EQ(store.Committed().Get("b"), 0);
}

TEST(MemoryUnitOfWorkTest, ABodyReadsWhatEarlierTransactionsCommitted) {
  Store store(MemoryCounters{});
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store
                    .Transact([](Counters& counters) {
                      counters.Add("a", counters.Get("a") + 1);
                      return absl::OkStatus();
                    })
                    .ok());
  }
  EXPECT_EQ(store.Committed().Get("a"), 7);  // 0+1, 1+2, 3+4
}

TEST(MemoryUnitOfWorkTest, RefusesATransactionBegunInsideAnotherAndKeepsTheOuterOne) {
  Store store;
  absl::Status inner = absl::OkStatus();
  const absl::Status outer = store.Transact([&](Counters& counters) {
    counters.Add("a", 1);
    inner = store.Transact([](Counters& nested) {
      nested.Add("a", 100);
      return absl::OkStatus();
    });
    return absl::OkStatus();
  });
  EXPECT_TRUE(outer.ok());
  EXPECT_EQ(inner.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.Committed().Get("a"), 1);
}

}  // namespace
}  // namespace osan
