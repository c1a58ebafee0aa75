#include "engine/bulk/file_importer.h"

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "loom/status.h"
#include "tests/engine/bulk/bulk_test_util.h"

namespace loom::engine::bulk {
namespace {

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// Property values of every record, in `__id` (= creation) order: compares
// imports whose ids differ.
std::vector<std::vector<Property>> Contents(storage::Store& store) {
  std::vector<std::vector<Property>> out;
  for (Record& r : ScanAllRecords(store)) out.push_back(std::move(r.properties));
  return out;
}

TEST(FileImporterTest, StreamsAFileMuchLargerThanTheMemoryBound) {
  TestStore db;
  std::string path = db.dir.Sub("big.jsonl");
  const std::string filler(900, 'x');
  size_t lines = 0;
  {
    std::ofstream out(path, std::ios::binary);
    size_t written = 0;
    while (written < (size_t{50} << 20)) {
      std::string line = absl::StrCat(R"({"n": )", lines, R"(, "tag": "t)", lines % 97, R"(", "pad": ")",
                                       filler, lines, "\"}\n");
      out << line;
      written += line.size();
      ++lines;
    }
  }
  ImportConfig config;
  config.memory_bound_bytes = size_t{4} << 20;
  uint64_t progress_calls = 0;
  config.progress = [&](const ImportStats&) { ++progress_calls; };
  db.target.durability = Durability::kUnsafeFast;
  ImportStats stats;
  LOOM_ASSERT_OK(ImportJsonLinesFile(db.target, path, std::string("ROW"), nullptr, config, &stats));
  LOOM_ASSERT_OK(db.store->FlushAndSync());
  EXPECT_EQ(stats.records, lines);
  EXPECT_EQ(stats.lines, lines);
  EXPECT_GE(stats.bytes, size_t{50} << 20);
  EXPECT_GT(stats.batches, 10u);
  EXPECT_EQ(progress_calls, stats.batches);
  EXPECT_GT(stats.peak_buffered_bytes, 0u);
  EXPECT_LE(stats.peak_buffered_bytes, config.memory_bound_bytes) << stats.peak_buffered_bytes;
  EXPECT_EQ(db.RecordCount(), lines);
  db.ExpectConsistent();
}

TEST(FileImporterTest, NestedLinesBecomeLinkedRecords) {
  TestStore db;
  std::string path = db.dir.Sub("nested.jsonl");
  WriteFile(path, "\xEF\xBB\xBF{\"name\": \"A\", \"ITEM\": [{\"x\": 1}, {\"x\": 2}]}\r\n\n"
                  "{\"name\": \"B\", \"when\": \"2024-01-01\"}");
  Json options = {{"suggestTypes", true}, {"relationshipType", "HAS"}};
  ImportStats stats;
  LOOM_ASSERT_OK(ImportJsonLinesFile(db.target, path, std::string("ORDER"), &options, ImportConfig{}, &stats));
  EXPECT_EQ(stats.records, 4u);
  EXPECT_EQ(stats.relationships, 2u);
  std::vector<Record> records = ScanAllRecords(*db.store);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].label, "ORDER");
  EXPECT_EQ(records[1].label, "ITEM");
  EXPECT_EQ(records[3].Find("when")->type, PropType::kDatetime);
  auto edges = ScanAllEdges(*db.store);
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(std::get<0>(edges[0]), records[0].id);
  EXPECT_EQ(std::get<2>(edges[0]), "HAS");
  db.ExpectConsistent();
}

TEST(FileImporterTest, SkipWritesRejectsAndGoesOn) {
  TestStore db;
  std::string path = db.dir.Sub("mixed.jsonl");
  WriteFile(path,
            "{\"a\": 1}\n"
            "{\"a\": \n"
            "[1, 2]\n"
            "{\"a\": 2}\n"
            "{\"a\": 3, \"L\": [{\"x\": 1}, 5]}\n"
            "{\"a\": 4}\n");
  ImportConfig config;
  config.on_error = OnError::kSkip;
  config.batch_records = 2;
  ImportStats stats;
  LOOM_ASSERT_OK(ImportJsonLinesFile(db.target, path, std::string("T"), nullptr, config, &stats));
  EXPECT_EQ(stats.records, 3u);
  EXPECT_EQ(stats.rejected, 3u);
  std::vector<std::string> rejects = SplitLines(ReadFile(path + ".rejects"));
  ASSERT_EQ(rejects.size(), 3u);
  EXPECT_TRUE(rejects[0].starts_with(path + ":2: ")) << rejects[0];
  EXPECT_NE(rejects[0].find("invalid JSON"), std::string::npos) << rejects[0];
  EXPECT_TRUE(rejects[1].starts_with(path + ":3: ")) << rejects[1];
  EXPECT_NE(rejects[1].find("JSON object"), std::string::npos) << rejects[1];
  EXPECT_TRUE(rejects[2].starts_with(path + ":5: ")) << rejects[2];
  EXPECT_EQ(db.RecordCount(), 3u);
  db.ExpectConsistent();
}

TEST(FileImporterTest, AbortKeepsOnlyWholeBatches) {
  TestStore db;
  std::string path = db.dir.Sub("abort.jsonl");
  std::string text;
  for (int i = 1; i <= 35; ++i) absl::StrAppend(&text, "{\"i\": ", i, "}\n");
  absl::StrAppend(&text, "{\"i\": 36,, }\n{\"i\": 37}\n");
  WriteFile(path, text);
  ImportConfig config;
  config.batch_records = 10;
  ImportStats stats;
  absl::Status status = ImportJsonLinesFile(db.target, path, std::string("T"), nullptr, config, &stats);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(GetErrorCode(status), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), absl::StrCat(path, ":36:10: "))) << status;
  EXPECT_EQ(stats.records, 30u);
  EXPECT_EQ(db.RecordCount(), 30u);
  EXPECT_EQ(db.RecordCount() % config.batch_records, 0u);
  db.ExpectConsistent();
}

// An in-memory marker store: exercises the resume logic. (Atomicity with the
// batch needs a storage-level meta key; see ResumeMarkerStore.)
struct FakeMarkers {
  std::map<std::string, std::string> values;
  ResumeMarkerStore Store() {
    ResumeMarkerStore m;
    m.put = [this](storage::WriteTxn&, std::string_view key, std::string_view value) {
      values[std::string(key)] = std::string(value);
      return absl::OkStatus();
    };
    m.get = [this](storage::ReadView&, std::string_view key) -> absl::StatusOr<std::optional<std::string>> {
      auto it = values.find(std::string(key));
      if (it == values.end()) return std::nullopt;
      return it->second;
    };
    return m;
  }
};

TEST(FileImporterTest, ResumeContinuesAfterTheLastWholeBatch) {
  std::string good, bad;
  for (int i = 1; i <= 47; ++i) {
    std::string line = absl::StrCat("{\"i\": ", i, ", \"L\": [{\"c\": ", i, "}]}\n");
    good += line;
    bad += i == 26 ? std::string("{\"i\": oops}\n") : line;
  }
  TestStore reference;
  std::string ref_path = reference.dir.Sub("in.jsonl");
  WriteFile(ref_path, good);
  ImportConfig config;
  config.batch_records = 10;  // 2 records per line: 5 lines per batch
  LOOM_ASSERT_OK(ImportJsonLinesFile(reference.target, ref_path, std::string("T"), nullptr, config, nullptr));

  TestStore db;
  std::string path = db.dir.Sub("in.jsonl");
  WriteFile(path, bad);
  FakeMarkers markers;
  config.marker = markers.Store();
  ImportStats stats;
  ASSERT_FALSE(ImportJsonLinesFile(db.target, path, std::string("T"), nullptr, config, &stats).ok());
  EXPECT_EQ(stats.lines, 25u);
  EXPECT_EQ(db.RecordCount(), 50u);

  WriteFile(path, good);  // the bad line fixed
  // Rerunning without resume would add the committed records again: refused.
  absl::Status rerun = ImportJsonLinesFile(db.target, path, std::string("T"), nullptr, config, &stats);
  EXPECT_EQ(GetErrorCode(rerun), ErrorCode::kInvalidArgument) << rerun;
  EXPECT_NE(std::string(rerun.message()).find("stopped after line 25 with 50 record(s) committed"), std::string::npos)
      << rerun;
  EXPECT_EQ(db.RecordCount(), 50u);
  config.resume = true;
  LOOM_ASSERT_OK(ImportJsonLinesFile(db.target, path, std::string("T"), nullptr, config, &stats));
  EXPECT_TRUE(stats.resumed);
  EXPECT_EQ(stats.records, 94u);
  EXPECT_EQ(stats.relationships, 47u);
  EXPECT_EQ(Contents(*db.store), Contents(*reference.store));
  EXPECT_EQ(ScanAllEdges(*db.store).size(), 47u);
  db.ExpectConsistent();

  // A finished import resumes to nothing, and may run again from the start.
  LOOM_ASSERT_OK(ImportJsonLinesFile(db.target, path, std::string("T"), nullptr, config, &stats));
  EXPECT_EQ(db.RecordCount(), 94u);
  config.resume = false;
  LOOM_ASSERT_OK(ImportJsonLinesFile(db.target, path, std::string("T"), nullptr, config, &stats));
  EXPECT_EQ(db.RecordCount(), 188u);
}

TEST(FileImporterTest, RestartImportsAgainAfterAnInterruption) {
  TestStore db;
  std::string path = db.dir.Sub("in.jsonl");
  WriteFile(path, "{\"i\": 1}\n{\"i\": 2}\n{\"i\": oops}\n");
  FakeMarkers markers;
  ImportConfig config;
  config.batch_records = 1;
  config.marker = markers.Store();
  ASSERT_FALSE(ImportJsonLinesFile(db.target, path, std::string("T"), nullptr, config, nullptr).ok());
  EXPECT_EQ(db.RecordCount(), 2u);
  WriteFile(path, "{\"i\": 1}\n{\"i\": 2}\n{\"i\": 3}\n");
  config.restart = true;
  LOOM_ASSERT_OK(ImportJsonLinesFile(db.target, path, std::string("T"), nullptr, config, nullptr));
  EXPECT_EQ(db.RecordCount(), 5u);  // asked for: the first two twice
}

TEST(FileImporterTest, CsvErrorsNameFileAndLine) {
  TestStore db;
  std::string path = db.dir.Sub("rows.csv");
  WriteFile(path, "name,seats\nNova,12\n\"Or\nion\",3,extra\nVega,4\nLyra\n");
  ImportStats stats;
  absl::Status status = ImportCsvFile(db.target, path, "SHIP", nullptr, nullptr, ImportConfig{}, &stats);
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(absl::StartsWith(status.message(), absl::StrCat(path, ":3: CSV parse error"))) << status;
  EXPECT_EQ(db.RecordCount(), 0u);  // the first batch was never committed

  ImportConfig skip;
  skip.on_error = OnError::kSkip;
  Json options = {{"suggestTypes", true}};
  LOOM_ASSERT_OK(ImportCsvFile(db.target, path, "SHIP", &options, nullptr, skip, &stats));
  EXPECT_EQ(stats.records, 2u);
  EXPECT_EQ(stats.rejected, 2u);
  std::vector<std::string> rejects = SplitLines(ReadFile(path + ".rejects"));
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_TRUE(rejects[0].starts_with(path + ":3: CSV parse error")) << rejects[0];
  EXPECT_TRUE(rejects[1].starts_with(path + ":6: CSV parse error")) << rejects[1];
  std::vector<Record> records = ScanAllRecords(*db.store);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(*records[1].Find("seats"), Value::Of(PropType::kNumber, 4.0));

  // Malformed quoting cannot be skipped.
  std::string broken = db.dir.Sub("broken.csv");
  WriteFile(broken, "a,b\n1,2\n\"x\"y,3\n");
  status = ImportCsvFile(db.target, broken, "SHIP", nullptr, nullptr, skip, &stats);
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(absl::StartsWith(status.message(), absl::StrCat(broken, ":"))) << status;
}

TEST(FileImporterTest, RefusesUpsertOptionsAndMissingFiles) {
  TestStore db;
  Json options = {{"mergeBy", Json::array({"a"})}};
  std::string path = db.dir.Sub("x.jsonl");
  WriteFile(path, "{}\n");
  EXPECT_FALSE(ImportJsonLinesFile(db.target, path, std::string("T"), &options, ImportConfig{}, nullptr).ok());
  EXPECT_FALSE(ImportJsonLinesFile(db.target, db.dir.Sub("missing"), std::string("T"), nullptr, ImportConfig{},
                                   nullptr).ok());
  ImportConfig resume;
  resume.resume = true;
  EXPECT_FALSE(ImportJsonLinesFile(db.target, path, std::string("T"), nullptr, resume, nullptr).ok());
}

}  // namespace
}  // namespace loom::engine::bulk
