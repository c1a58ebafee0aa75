#include "storage/sst_ingest.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/sst_file_writer.h"
#include "storage/rocks_status.h"

namespace loom::storage {
namespace {

// Files are cut at about this size so that compactions later stay small.
constexpr uint64_t kTargetFileBytes = uint64_t{256} << 20;
// A column family's writes are sorted and written in key ranges of about
// this many entries, so that one large column family keeps every worker busy.
constexpr size_t kRangeEntries = size_t{1} << 20;

struct Job {
  const IngestTarget* target;
  WriteBuffer::Range range;
  std::string file_prefix;
  std::vector<std::string> files;  // written
  absl::Status status;
};

// Sorts one key range of a column family's writes and writes it into
// consecutive files (the ranges are disjoint, so no file overlaps another).
void RunJob(rocksdb::DB* db, Job& job) {
  WriteBuffer& writes = *job.target->writes;
  writes.SortRange(job.range);
  rocksdb::Options options = db->GetOptions(job.target->cf);
  // Ingested files land on the bottommost level and no compaction rewrites
  // them later, so they are written in the bottommost compression at once:
  // the load leaves the database in its steady state. Measured at scale 1000
  // (1.96M items): ZSTD 11.1 s and 98 MB against LZ4 10.3 s and 149 MB, with
  // the same query times.
  options.compression = rocksdb::kZSTD;
  options.bottommost_compression = rocksdb::kDisableCompressionOption;
  std::unique_ptr<rocksdb::SstFileWriter> writer;
  rocksdb::Status s;
  auto finish = [&] {
    if (writer == nullptr) return;
    if (s.ok()) s = writer->Finish();
    writer.reset();
  };
  writes.ForEach(job.range, [&](std::string_view key, std::string_view value, bool is_delete) {
    if (writer != nullptr && writer->FileSize() >= kTargetFileBytes) finish();
    if (!s.ok()) return false;
    if (writer == nullptr) {
      writer = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), options, job.target->cf);
      job.files.push_back(absl::StrCat(job.file_prefix, job.files.size(), ".sst"));
      s = writer->Open(job.files.back());
      if (!s.ok()) return false;
    }
    rocksdb::Slice k(key.data(), key.size());
    s = is_delete ? writer->Delete(k) : writer->Put(k, rocksdb::Slice(value.data(), value.size()));
    return s.ok();
  });
  finish();
  job.status = FromRocks(s);
}

}  // namespace

SstIngestion::SstIngestion(rocksdb::DB* db, std::string scratch_dir) : db_(db), scratch_dir_(std::move(scratch_dir)) {
  std::error_code ec;
  std::filesystem::remove_all(scratch_dir_, ec);
  std::filesystem::create_directories(scratch_dir_, ec);
  if (ec) {
    status_ = MakeError(ErrorCode::kInternal, absl::StrCat("cannot create ", scratch_dir_, ": ", ec.message()));
  }
}

SstIngestion::~SstIngestion() {
  std::error_code ignored;
  std::filesystem::remove_all(scratch_dir_, ignored);
}

absl::Status SstIngestion::Write(const std::vector<IngestTarget>& targets) {
  LOOM_RETURN_IF_ERROR(status_);
  const size_t write = writes_++;
  std::vector<Job> jobs;
  for (size_t i = 0; i < targets.size(); ++i) {
    if (targets[i].writes->empty()) continue;
    for (WriteBuffer::Range range : targets[i].writes->Partition(kRangeEntries)) {
      jobs.push_back(
          Job{&targets[i], range, absl::StrCat(scratch_dir_, "/w", write, "-cf", i, "-", range.begin, "-"), {}, {}});
    }
  }
  if (jobs.empty()) return absl::OkStatus();
  // Largest first, so that the workers finish together.
  std::stable_sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
    return a.range.end - a.range.begin > b.range.end - b.range.begin;
  });
  size_t workers = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, jobs.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t j = next++; j < jobs.size(); j = next++) RunJob(db_, jobs[j]);
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();

  for (const IngestTarget& target : targets) {
    std::vector<std::string> files;
    for (Job& job : jobs) {
      if (!job.status.ok()) return job.status;
      if (job.target != &target) continue;
      for (std::string& file : job.files) files.push_back(std::move(file));
    }
    if (!files.empty()) files_.emplace_back(target.cf, std::move(files));
  }
  return absl::OkStatus();
}

absl::Status SstIngestion::Ingest() {
  LOOM_RETURN_IF_ERROR(status_);
  if (files_.empty()) return absl::OkStatus();
  // One argument per column family, its files from all its ranges.
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (auto& [cf, files] : files_) {
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = cf;
    arg.external_files = std::move(files);
    arg.options.move_files = true;           // hard links: the files are ours
    arg.options.write_global_seqno = false;  // no in-place rewrite; readers use the MANIFEST's seqno
    args.push_back(std::move(arg));
  }
  files_.clear();
  return FromRocks(db_->IngestExternalFiles(args));
}

}  // namespace loom::storage
