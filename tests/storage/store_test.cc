// Store: writes with index maintenance, scans, expansions, counters, the
// invariant checker, reopening, and the one-sentence open errors.
#include "storage/store.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "storage/key_codec.h"

namespace loom::storage {
namespace {

class StoreTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("loom_store_test_" + std::to_string(getpid()) + "_" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen(Options options = {}) {
    store_.reset();
    auto s = Store::Open(dir_.string(), options);
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
  }
  NameId Intern(Dictionary& d, const char* name) { return *d.Intern(name); }

  StoredRecord Make(WriteTxn& txn, const char* id, const char* label,
                    std::vector<std::pair<const char*, Value>> props) {
    StoredRecord r;
    r.rid = txn.NewRid();
    r.id = id;
    r.label = label ? Intern(store_->dictionaries().labels, label) : kNoName;
    for (auto& [name, value] : props) r.properties.push_back({Intern(store_->dictionaries().properties, name), value});
    EXPECT_TRUE(txn.PutRecord(r, nullptr).ok());
    return r;
  }

  void ExpectConsistent() {
    auto report = store_->Check();
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->problems.empty()) << report->problems.front();
  }

  std::vector<Rid> Index(ReadView& view, const char* label, const char* prop, IndexRange range) {
    std::vector<Rid> out;
    EXPECT_TRUE(view.ScanIndex(*store_->dictionaries().labels.Find(label),
                               *store_->dictionaries().properties.Find(prop), range, [&](Rid r) {
                                 out.push_back(r);
                                 return true;
                               })
                    .ok());
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, WritesAreInvisibleUntilCommitAndReadBack) {
  auto txn = store_->BeginWrite();
  StoredRecord a = Make(*txn, "id-a", "ACCOUNT", {{"name", Value::Of(PropType::kString, std::string("Acme"))}});
  StoredRecord got;
  EXPECT_TRUE(*txn->GetRecord(a.rid, &got));  // read-your-writes
  auto before = store_->NewReadView();
  EXPECT_FALSE(*before->GetRecord(a.rid, &got));
  ASSERT_TRUE(txn->Commit(Durability::kSync).ok());
  EXPECT_FALSE(*before->GetRecord(a.rid, &got));  // snapshot isolation
  auto after = store_->NewReadView();
  ASSERT_TRUE(*after->GetRecord(a.rid, &got));
  EXPECT_EQ(got, a);
  EXPECT_EQ(**after->LookupId("id-a"), a.rid);
  EXPECT_EQ(after->RecordCount(), 1u);
  ExpectConsistent();
}

TEST_F(StoreTest, BlindWritesCommitTheSameDataWithoutReadingThemBack) {
  auto txn = store_->BeginWrite(Store::WriteMode::kBlind);
  StoredRecord a = Make(*txn, "id-a", "ACCOUNT", {{"n", Value::Of(PropType::kNumber, 1.0)}});
  StoredRecord b = Make(*txn, "id-b", "USER", {});
  ASSERT_TRUE(txn->AddEdge(b.rid, b.label, a.rid, a.label, Intern(store_->dictionaries().rel_types, "BELONGS_TO"), "")
                  .ok());
  StoredRecord got;
  EXPECT_FALSE(*txn->GetRecord(a.rid, &got));  // blind: only the starting snapshot
  ASSERT_TRUE(txn->Commit(Durability::kBuffered).ok());
  auto view = store_->NewReadView();
  ASSERT_TRUE(*view->GetRecord(a.rid, &got));
  EXPECT_EQ(got, a);
  std::vector<Rid> out;
  ASSERT_TRUE(view->ExpandRids(a.rid, {Direction::kIn, {}, std::nullopt}, &out).ok());
  EXPECT_EQ(out, std::vector<Rid>{b.rid});
  ExpectConsistent();
}

TEST_F(StoreTest, IngestedWritesAreAtomicDurableAndLayerOverExistingData) {
  NameId belongs = Intern(store_->dictionaries().rel_types, "BELONGS_TO");
  auto first = store_->BeginWrite(Store::WriteMode::kIngest);
  StoredRecord a = Make(*first, "id-a", "ACCOUNT", {{"n", Value::Of(PropType::kNumber, 1.0)}});
  StoredRecord b = Make(*first, "id-b", "USER", {{"n", Value::Of(PropType::kNumber, 2.0)}});
  ASSERT_TRUE(first->AddEdge(b.rid, b.label, a.rid, a.label, belongs, "").ok());
  ASSERT_TRUE(first->Commit(Durability::kBuffered).ok());
  first.reset();
  auto before = store_->NewReadView();  // must not see the second write

  // Over existing data: a new record linked to an old one, an old one deleted, a meta marker.
  auto second = store_->BeginWrite(Store::WriteMode::kIngest);
  StoredRecord c = Make(*second, "id-c", "USER", {{"n", Value::Of(PropType::kNumber, 3.0)}});
  ASSERT_TRUE(second->AddEdge(c.rid, c.label, a.rid, a.label, belongs, R"({"w":1})").ok());
  ASSERT_TRUE(second->DeleteRecord(b).ok());
  ASSERT_TRUE(second->PutMeta("import:x", "done").ok());
  ASSERT_TRUE(second->Commit(Durability::kBuffered).ok());
  second.reset();
  EXPECT_FALSE(std::filesystem::exists(dir_ / "bulk-ingest"));  // scratch files are gone

  StoredRecord got;
  EXPECT_TRUE(*before->GetRecord(b.rid, &got));
  EXPECT_FALSE(*before->GetRecord(c.rid, &got));
  before.reset();

  Reopen();
  auto view = store_->NewReadView();
  EXPECT_EQ(view->RecordCount(), 2u);
  ASSERT_TRUE(*view->GetRecord(c.rid, &got));
  EXPECT_EQ(got, c);
  EXPECT_FALSE(*view->GetRecord(b.rid, &got));
  EXPECT_EQ(**view->LookupId("id-c"), c.rid);
  EXPECT_FALSE(view->LookupId("id-b")->has_value());
  std::vector<Rid> out;
  ASSERT_TRUE(view->ExpandRids(a.rid, {Direction::kIn, {}, std::nullopt}, &out).ok());
  EXPECT_EQ(out, std::vector<Rid>{c.rid});
  EXPECT_EQ(Index(*view, "USER", "n", {IndexTag::kNumber, Scalar(0.0), true, Scalar(9.0), true}),
            std::vector<Rid>{c.rid});
  EXPECT_EQ(**view->GetMeta("import:x"), "done");
  ExpectConsistent();
}

TEST_F(StoreTest, MetaMarkersCommitWithTheirBatch) {
  auto txn = store_->BeginWrite();
  ASSERT_TRUE(txn->PutMeta("import:data.jsonl", "line=100").ok());
  EXPECT_EQ(**txn->GetMeta("import:data.jsonl"), "line=100");  // read-your-writes
  EXPECT_FALSE(store_->NewReadView()->GetMeta("import:data.jsonl")->has_value());
  ASSERT_TRUE(txn->Commit(Durability::kSync).ok());
  txn.reset();
  Reopen();
  EXPECT_EQ(**store_->NewReadView()->GetMeta("import:data.jsonl"), "line=100");
  auto del = store_->BeginWrite();
  ASSERT_TRUE(del->DeleteMeta("import:data.jsonl").ok());
  ASSERT_TRUE(del->Commit(Durability::kSync).ok());
  EXPECT_FALSE(store_->NewReadView()->GetMeta("import:data.jsonl")->has_value());
  ExpectConsistent();
}

TEST_F(StoreTest, IndexScansAnswerEqualityRangesAndPrefixes) {
  auto txn = store_->BeginWrite();
  std::vector<Rid> rids;
  double amounts[] = {800, 1200, 1200, 2000, -5};
  for (int i = 0; i < 5; ++i) {
    rids.push_back(Make(*txn, ("inv" + std::to_string(i)).c_str(), "INVOICE",
                        {{"amount", Value::Of(PropType::kNumber, amounts[i])},
                         {"status", Value::Of(PropType::kString, std::string(i % 2 ? "paid" : "overdue"))},
                         {"paidAt", Value::Of(PropType::kDatetime, "2025-0" + std::to_string(i + 1) + "-05")}})
                       .rid);
  }
  ASSERT_TRUE(txn->Commit(Durability::kBuffered).ok());
  auto view = store_->NewReadView();
  IndexRange eq{IndexTag::kNumber, 1200.0, true, 1200.0, true};
  EXPECT_EQ(Index(*view, "INVOICE", "amount", eq), (std::vector<Rid>{rids[1], rids[2]}));
  IndexRange gt{IndexTag::kNumber, 800.0, false, std::nullopt, true};
  EXPECT_EQ(Index(*view, "INVOICE", "amount", gt), (std::vector<Rid>{rids[1], rids[2], rids[3]}));
  IndexRange lt{IndexTag::kNumber, std::nullopt, true, 1200.0, false};
  EXPECT_EQ(Index(*view, "INVOICE", "amount", lt), (std::vector<Rid>{rids[4], rids[0]}));
  IndexRange prefix{IndexTag::kString};
  prefix.prefix = "ov";
  EXPECT_EQ(Index(*view, "INVOICE", "status", prefix), (std::vector<Rid>{rids[0], rids[2], rids[4]}));
  IndexRange instants{IndexTag::kInstant};
  instants.low_instant = ParseDatetimeInstant("2025-02-05");
  instants.high_instant = ParseDatetimeInstant("2025-03-05T00:00:00Z");
  EXPECT_EQ(Index(*view, "INVOICE", "paidAt", instants), (std::vector<Rid>{rids[1], rids[2]}));
  EXPECT_EQ(view->PropertyCount(*store_->dictionaries().labels.Find("INVOICE"),
                                *store_->dictionaries().properties.Find("amount"), std::nullopt),
            5u);
  ExpectConsistent();
}

// The planner's value statistics: exact counts below the dive limit, an
// estimate of the right size above it, in memtables and in files alike.
TEST_F(StoreTest, IndexEntryEstimatesAreExactWhenSmallAndCloseWhenLarge) {
  auto txn = store_->BeginWrite(Store::WriteMode::kBlind);
  for (int i = 0; i < 20000; ++i) {
    // 17,460 "active" (87.3 %), 2,500 "trial", 40 "overdue".
    const char* status = i < 40 ? "overdue" : (i % 8 == 0 ? "trial" : "active");
    Make(*txn, ("sub" + std::to_string(i)).c_str(), "SUBSCRIPTION",
         {{"status", Value::Of(PropType::kString, std::string(status))},
          {"seats", Value::Of(PropType::kNumber, static_cast<double>(i % 100))}});
  }
  ASSERT_TRUE(txn->Commit(Durability::kBuffered).ok());
  txn.reset();
  const NameId label = *store_->dictionaries().labels.Find("SUBSCRIPTION");
  const NameId status = *store_->dictionaries().properties.Find("status");
  const NameId seats = *store_->dictionaries().properties.Find("seats");
  auto eq = [](const char* v) {
    return IndexRange{IndexTag::kString, Scalar(std::string(v)), true, Scalar(std::string(v)), true};
  };
  uint64_t active = 0, trial = 0;
  for (int i = 40; i < 20000; ++i) (i % 8 == 0 ? trial : active)++;
  for (bool flushed : {false, true}) {
    if (flushed) {
      ASSERT_TRUE(store_->FlushAndSync().ok());
      Reopen();  // a new store: nothing remembered from the memtable estimates
    }
    SCOPED_TRACE(flushed ? "in files" : "in the memtable");
    auto view = store_->NewReadView();
    EXPECT_EQ(view->EstimateIndexEntries(label, status, eq("overdue"), 512), 40u);
    EXPECT_EQ(view->EstimateIndexEntries(label, status, eq("cancelled"), 512), 0u);
    const uint64_t a = view->EstimateIndexEntries(label, status, eq("active"), 512);
    const uint64_t t = view->EstimateIndexEntries(label, status, eq("trial"), 512);
    // seats < 10: 2,000 of 20,000.
    const uint64_t few = view->EstimateIndexEntries(
        label, seats, IndexRange{IndexTag::kNumber, std::nullopt, true, Scalar(10.0), false}, 512);
    for (uint64_t estimate : {a, t, few}) {  // past the dive: at least its count, at most every holder
      EXPECT_GE(estimate, 512u);
      EXPECT_LE(estimate, 20000u);
    }
    if (flushed) {  // memtable sizes are sampled; file sizes come from the SST index
      EXPECT_GE(a, active / 2);
      EXPECT_LT(t, a);
      EXPECT_LE(few, 8000u);
    }
    EXPECT_EQ(view->EstimateIndexEntries(label, seats, IndexRange{IndexTag::kNumber, Scalar(99.0), false,
                                                                    std::nullopt, true},
                                         512),
              0u);
  }
  // Estimates are remembered until the holders of the property change by
  // more than 10 %: 40 more "overdue" (0.2 %) keep 40, 2,500 more (12.5 %) count again.
  auto add = [&](int n, int first) {
    auto more = store_->BeginWrite(Store::WriteMode::kBlind);
    for (int i = first; i < first + n; ++i) {
      Make(*more, ("sub" + std::to_string(i)).c_str(), "SUBSCRIPTION",
           {{"status", Value::Of(PropType::kString, std::string("overdue"))}});
    }
    ASSERT_TRUE(more->Commit(Durability::kBuffered).ok());
  };
  add(40, 20000);
  EXPECT_EQ(store_->NewReadView()->EstimateIndexEntries(label, status, eq("overdue"), 512), 40u);
  add(2500, 20040);
  EXPECT_GE(store_->NewReadView()->EstimateIndexEntries(label, status, eq("overdue"), 512), 512u);
}

TEST_F(StoreTest, EdgesExpandByDirectionTypeAndNeighbourLabel) {
  auto txn = store_->BeginWrite();
  StoredRecord acc = Make(*txn, "a", "ACCOUNT", {});
  StoredRecord sub = Make(*txn, "s", "SUBSCRIPTION", {});
  StoredRecord usr = Make(*txn, "u", "USER", {});
  NameId has = Intern(store_->dictionaries().rel_types, "HAS_SUBSCRIPTION");
  NameId belongs = Intern(store_->dictionaries().rel_types, "BELONGS_TO");
  ASSERT_TRUE(txn->AddEdge(acc.rid, sub.rid, has, "").ok());
  ASSERT_TRUE(txn->AddEdge(usr.rid, acc.rid, belongs, R"({"since":2020})").ok());
  ASSERT_TRUE(txn->AddEdge(acc.rid, acc.rid, has, "").ok());  // self-loop
  ASSERT_TRUE(txn->Commit(Durability::kBuffered).ok());

  auto view = store_->NewReadView();
  std::vector<Rid> out;
  ASSERT_TRUE(view->ExpandRids(acc.rid, {Direction::kOut, {has}, sub.label}, &out).ok());
  EXPECT_EQ(out, std::vector<Rid>{sub.rid});
  out.clear();
  ASSERT_TRUE(view->ExpandRids(acc.rid, {Direction::kIn, {}, std::nullopt}, &out).ok());
  EXPECT_EQ(out, (std::vector<Rid>{acc.rid, usr.rid}));
  out.clear();
  ASSERT_TRUE(view->ExpandRids(acc.rid, {std::nullopt, {}, std::nullopt}, &out).ok());
  EXPECT_EQ(out.size(), 4u);
  out.clear();  // a point seek for the edges between two records
  ASSERT_TRUE(view->ExpandRids(usr.rid, {Direction::kOut, {belongs}, acc.label, acc.rid}, &out).ok());
  EXPECT_EQ(out, std::vector<Rid>{acc.rid});
  out.clear();
  ASSERT_TRUE(view->ExpandRids(usr.rid, {Direction::kOut, {belongs}, acc.label, sub.rid}, &out).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(view->EdgeCount(acc.label, Direction::kOut, has, 0), 2u);
  EXPECT_EQ(view->EdgeCount(acc.label, Direction::kIn, 0, usr.label), 1u);
  std::vector<EdgeRef> edges;
  ASSERT_TRUE(view->ScanEdges([&](const EdgeRef& e) {
    edges.push_back(e);
    return true;
  }).ok());
  EXPECT_EQ(edges.size(), 3u);
  ExpectConsistent();

  // Relabelling rewrites the neighbours' keys; deleting removes both sides.
  auto txn2 = store_->BeginWrite();
  StoredRecord renamed = acc;
  renamed.label = Intern(store_->dictionaries().labels, "CUSTOMER");
  ASSERT_TRUE(txn2->PutRecord(renamed, &acc).ok());
  ASSERT_TRUE(txn2->Commit(Durability::kBuffered).ok());
  ExpectConsistent();
  auto txn3 = store_->BeginWrite();
  ASSERT_TRUE(txn3->DeleteRecord(renamed).ok());
  ASSERT_TRUE(txn3->Commit(Durability::kBuffered).ok());
  ExpectConsistent();
  auto view3 = store_->NewReadView();
  out.clear();
  ASSERT_TRUE(view3->ExpandRids(usr.rid, {}, &out).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(view3->RecordCount(), 2u);
}

TEST_F(StoreTest, UpdatesMoveIndexEntriesAndCounters) {
  auto txn = store_->BeginWrite();
  StoredRecord r = Make(*txn, "x", "USER", {{"role", Value::Of(PropType::kString, std::string("admin"))}});
  ASSERT_TRUE(txn->Commit(Durability::kBuffered).ok());
  StoredRecord changed = r;
  changed.properties[0].value = Value::Of(PropType::kNumber, 3.0);
  auto txn2 = store_->BeginWrite();
  ASSERT_TRUE(txn2->PutRecord(changed, &r).ok());
  ASSERT_TRUE(txn2->Commit(Durability::kBuffered).ok());
  auto view = store_->NewReadView();
  EXPECT_TRUE(Index(*view, "USER", "role", IndexRange{IndexTag::kString, std::string("admin"), true,
                                                      std::string("admin"), true})
                  .empty());
  NameId role = *store_->dictionaries().properties.Find("role");
  EXPECT_EQ(view->PropertyTypeCount(role, PropType::kString), 0u);
  EXPECT_EQ(view->PropertyTypeCount(role, PropType::kNumber), 1u);
  ExpectConsistent();
}

TEST_F(StoreTest, ReopenKeepsDataDictionariesAndAllocation) {
  Rid first;
  {
    auto txn = store_->BeginWrite();
    first = Make(*txn, "a", "ACCOUNT", {{"n", Value::Of(PropType::kNumber, 1.0)}}).rid;
    ASSERT_TRUE(txn->Commit(Durability::kSync).ok());
  }
  Reopen();
  auto txn = store_->BeginWrite();
  EXPECT_GT(txn->NewRid(), first);
  EXPECT_EQ(store_->dictionaries().labels.Find("ACCOUNT"), std::optional<NameId>(1));
  EXPECT_EQ(*store_->MaxId(), "a");
  auto view = store_->NewReadView();
  EXPECT_EQ(view->RecordCount(), 1u);
  ExpectConsistent();
}

TEST_F(StoreTest, IdOrderFlagTracksOutOfOrderIds) {
  auto txn = store_->BeginWrite();
  Make(*txn, "b", nullptr, {});
  ASSERT_TRUE(txn->Commit(Durability::kBuffered).ok());
  EXPECT_TRUE(store_->NewReadView()->RidOrderIsIdOrder());
  auto txn2 = store_->BeginWrite();
  Make(*txn2, "a", nullptr, {});
  ASSERT_TRUE(txn2->Commit(Durability::kBuffered).ok());
  EXPECT_FALSE(store_->NewReadView()->RidOrderIsIdOrder());
  txn.reset();
  txn2.reset();  // views must end before their store
  Reopen();
  EXPECT_FALSE(store_->NewReadView()->RidOrderIsIdOrder());
}

TEST_F(StoreTest, OpenErrorsAreOneClearSentence) {
  // Locked by another open handle (RocksDB's LOCK is per process too).
  auto second = Store::Open(dir_.string(), Options());
  ASSERT_FALSE(second.ok());
  EXPECT_NE(std::string(second.status().message()).find("in use by another process"), std::string::npos)
      << second.status();
  // Read-only open works beside it and refuses writes.
  Options ro;
  ro.read_only = true;
  auto reader = Store::Open(dir_.string(), ro);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto txn = (*reader)->BeginWrite();
  EXPECT_FALSE(txn->Commit(Durability::kSync).ok());

  auto other = dir_.string() + "_not_loom";
  std::filesystem::create_directories(other);
  std::ofstream(other + "/notes.txt") << "hello";
  auto not_loom = Store::Open(other, Options());
  ASSERT_FALSE(not_loom.ok());
  EXPECT_NE(std::string(not_loom.status().message()).find("not a loom database"), std::string::npos);
  std::filesystem::remove_all(other);
}

TEST_F(StoreTest, OtherFormatVersionIsRefused) {
  store_.reset();
  {
    // Rewrite the version key as a future loom would have.
    rocksdb::DBOptions options;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    std::vector<std::string> names;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(options, dir_.string(), &names).ok());
    for (const std::string& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir_.string(), cfs, &handles, &db).ok());
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == "meta") {
        std::string v;
        AppendU32(&v, kFormatVersion + 1);
        ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), handles[i], std::string(kFormatVersionKey), v).ok());
      }
    }
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  auto s = Store::Open(dir_.string(), Options());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.status().message()).find("format version 2 but this loom reads version 1"),
            std::string::npos)
      << s.status();
}

}  // namespace
}  // namespace loom::storage
