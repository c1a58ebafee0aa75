// Explicit transactions (api.md §7): isolation, read-your-writes, rollback,
// errors rolling back, TTL expiry, single writer and durability of commits.
#include <chrono>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/db_fixture.h"

namespace loom {
namespace {

using testing::DbTest;
using testing::Ok;
using testing::StatusIs;

class TransactionsTest : public DbTest {
 protected:
  std::string Begin(int ttl_ms = 5000) { return Ok(db_->tx().Begin({{"ttl", ttl_ms}}))["id"].get<std::string>(); }
};

TEST_F(TransactionsTest, IsolationAndReadYourWrites) {
  std::string tx = Begin();
  EXPECT_EQ(Ok(db_->tx().Get(tx)), Json({{"id", tx}}));
  Json r = Ok(db_->records().Create({{"label", "A"}, {"data", {{"x", 1}}}}, tx));
  // Inside: visible, including metadata.
  EXPECT_EQ(Ok(db_->records().FindById(r["__id"], tx)), r);
  EXPECT_EQ(Ok(db_->labels().Find({}, tx)), Json({{"A", 1}}));
  EXPECT_EQ(Ok(db_->properties().Find({}, tx)).size(), 1u);
  // Outside: not visible, and reads do not wait for the writer.
  EXPECT_THAT(db_->records().FindById(r["__id"]), StatusIs(ErrorCode::kNotFound));
  EXPECT_EQ(Ok(db_->labels().Find()), Json::object());
  Ok(db_->tx().Commit(tx));
  EXPECT_EQ(Ok(db_->records().FindById(r["__id"])), r);
  EXPECT_THAT(db_->tx().Get(tx), StatusIs(ErrorCode::kTxNotFound));
  EXPECT_THAT(db_->tx().Commit(tx), StatusIs(ErrorCode::kTxNotFound));
}

TEST_F(TransactionsTest, RollbackDiscards) {
  std::string keep = CreateId({{"label", "K"}, {"data", {{"x", 1}}}});
  Json before = Snapshot();
  std::string tx = Begin();
  std::string a = Ok(db_->records().Create({{"label", "A"}, {"data", {{"x", 1}}}}, tx))["__id"];
  Ok(db_->records().Attach({{"source", a}, {"target", keep}}, tx));
  Ok(db_->records().Update({{"target", keep}, {"data", {{"y", 2}}}}, tx));
  Ok(db_->tx().Rollback(tx));
  EXPECT_EQ(Snapshot(), before);
  EXPECT_THAT(db_->records().FindById(a), StatusIs(ErrorCode::kNotFound));
  EXPECT_FALSE(Ok(db_->records().FindById(keep)).contains("y"));
  // Rolling back again is not an error.
  Ok(db_->tx().Rollback(tx));
  EXPECT_THAT(db_->records().Create({{"label", "A"}, {"data", {{"x", 1}}}}, tx),
              StatusIs(ErrorCode::kTxNotFound));
}

TEST_F(TransactionsTest, ErrorInsideRollsBackEverything) {
  Json before = Snapshot();
  std::string tx = Begin();
  Ok(db_->records().Create({{"label", "A"}, {"data", {{"x", 1}}}}, tx));
  EXPECT_THAT(db_->records().Create({{"label", "A"}, {"data", {{"__id", 1}}}}, tx),
              StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(db_->tx().Get(tx), StatusIs(ErrorCode::kTxNotFound));
  EXPECT_THAT(db_->tx().Commit(tx), StatusIs(ErrorCode::kTxNotFound));
  EXPECT_THAT(db_->records().FindById("x", tx), StatusIs(ErrorCode::kTxNotFound));
  EXPECT_EQ(Snapshot(), before);
  // A failing read (NOT_FOUND) inside a transaction also ends it.
  tx = Begin();
  EXPECT_THAT(db_->records().FindById("missing", tx), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(db_->tx().Get(tx), StatusIs(ErrorCode::kTxNotFound));
  // The writer role was released.
  Ok(db_->records().Create({{"label", "B"}, {"data", {{"x", 1}}}}));
}

TEST_F(TransactionsTest, TtlExpiryRollsBack) {
  std::string tx = Begin(50);
  Ok(db_->records().Create({{"label", "A"}, {"data", {{"x", 1}}}}, tx));
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  EXPECT_THAT(db_->tx().Get(tx), StatusIs(ErrorCode::kTxNotFound));
  EXPECT_THAT(db_->tx().Commit(tx), StatusIs(ErrorCode::kTxNotFound));
  EXPECT_EQ(Ok(db_->labels().Find()), Json::object());
  Ok(db_->records().Create({{"label", "B"}, {"data", {{"x", 1}}}}));
}

TEST_F(TransactionsTest, ImplicitWriteWaitsForAnExpiringTransaction) {
  std::string tx = Begin(100);
  Ok(db_->records().Create({{"label", "A"}, {"data", {{"x", 1}}}}, tx));
  // Blocks until the TTL passes, then proceeds.
  auto start = std::chrono::steady_clock::now();
  Ok(db_->records().Create({{"label", "B"}, {"data", {{"x", 1}}}}));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50));
  EXPECT_EQ(Ok(db_->labels().Find()), Json({{"B", 1}}));
}

TEST_F(TransactionsTest, ImplicitWriteTimesOutWhileATransactionIsOpen) {
  Options options;
  options.operation_timeout_ms = 100;
  Reopen(options);
  std::string tx = Begin(5000);
  EXPECT_THAT(db_->records().Create({{"label", "B"}, {"data", {{"x", 1}}}}), StatusIs(ErrorCode::kTimeout));
  Ok(db_->tx().Commit(tx));
  Ok(db_->records().Create({{"label", "B"}, {"data", {{"x", 1}}}}));
}

TEST_F(TransactionsTest, TtlIsClampedToTheMaximum) {
  Options options;
  options.max_transaction_ttl_ms = 60;
  Reopen(options);
  std::string tx = Begin(100000);
  std::this_thread::sleep_for(std::chrono::milliseconds(130));
  EXPECT_THAT(db_->tx().Get(tx), StatusIs(ErrorCode::kTxNotFound));
}

TEST_F(TransactionsTest, CommitIsDurableAfterReopen) {
  std::string tx = Begin();
  std::string a = Ok(db_->records().Create({{"label", "A"}, {"data", {{"x", 1}}}}, tx))["__id"];
  std::string b = Ok(db_->records().Create({{"label", "B"}, {"data", {{"x", 2}}}}, tx))["__id"];
  Ok(db_->records().Attach({{"source", a}, {"target", b}}, tx));
  Ok(db_->tx().Commit(tx));
  Json before = Snapshot();
  Reopen();
  EXPECT_EQ(Snapshot(), before);
  EXPECT_EQ(Ok(Check(*db_))["relationships"], 1);
}

TEST_F(TransactionsTest, ConcurrentImplicitWritersAreSerialised) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 25; ++i) {
        auto r = db_->records().Create({{"label", "T"}, {"data", {{"t", t}, {"i", i}}}});
        EXPECT_TRUE(r.ok()) << r.status();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(Ok(db_->labels().Find()), Json({{"T", 100}}));
  EXPECT_EQ(Ok(Check(*db_))["ok"], true);
}

}  // namespace
}  // namespace loom
