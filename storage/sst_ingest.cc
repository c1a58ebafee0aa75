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

struct Job {
  const IngestTarget* target;
  std::string file_prefix;
  std::vector<std::string> files;  // written
  absl::Status status;
};

// Sorts one column family's writes and writes them into consecutive files.
void RunJob(rocksdb::DB* db, Job& job) {
  WriteBuffer& writes = *job.target->writes;
  writes.Sort();
  rocksdb::Options options = db->GetOptions(job.target->cf);
  // Written once and read soon: fast compression now; compaction applies the
  // bottommost compression later.
  options.compression = rocksdb::kLZ4Compression;
  options.bottommost_compression = rocksdb::kDisableCompressionOption;
  std::unique_ptr<rocksdb::SstFileWriter> writer;
  rocksdb::Status s;
  auto finish = [&] {
    if (writer == nullptr) return;
    if (s.ok()) s = writer->Finish();
    writer.reset();
  };
  writes.ForEach([&](std::string_view key, std::string_view value, bool is_delete) {
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

absl::Status IngestBuffers(rocksdb::DB* db, const std::vector<IngestTarget>& targets,
                           const std::string& scratch_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::remove_all(scratch_dir, ec);
  fs::create_directories(scratch_dir, ec);
  if (ec) return MakeError(ErrorCode::kInternal, absl::StrCat("cannot create ", scratch_dir, ": ", ec.message()));
  struct RemoveScratch {
    const std::string& dir;
    ~RemoveScratch() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } remove_scratch{scratch_dir};

  std::vector<Job> jobs;
  for (size_t i = 0; i < targets.size(); ++i) {
    if (targets[i].writes->empty()) continue;
    jobs.push_back(Job{&targets[i], absl::StrCat(scratch_dir, "/cf", i, "-"), {}, {}});
  }
  if (jobs.empty()) return absl::OkStatus();
  // Largest first, so that the big sorts start early and overlap.
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
    return a.target->writes->ApproximateBytes() > b.target->writes->ApproximateBytes();
  });
  size_t workers = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, jobs.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t j = next++; j < jobs.size(); j = next++) RunJob(db, jobs[j]);
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();

  std::vector<rocksdb::IngestExternalFileArg> args;
  for (Job& job : jobs) {
    if (!job.status.ok()) return job.status;
    if (job.files.empty()) continue;  // every write was superseded (cannot happen) or none
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = job.target->cf;
    arg.external_files = std::move(job.files);
    arg.options.move_files = true;           // hard links: the files are ours
    arg.options.write_global_seqno = false;  // no in-place rewrite; readers use the MANIFEST's seqno
    args.push_back(std::move(arg));
  }
  return FromRocks(db->IngestExternalFiles(args));
}

}  // namespace loom::storage
