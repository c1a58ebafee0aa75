// tests/query/cases/case_files.h: reading the JSON case files of
// tests/query/cases/ (shared by the reference and the engine runners).
//
// A case file is {"name", "dataset", "cases": [...]}. `dataset` is "examples"
// (examples_dataset.json + examples_records.json) or an inline object
// {"script": [...], "records": [...], "edges": [...]}: `script` is the list of
// API calls that builds it ({"call", "params", "names"?}), `records` the
// records as they must be stored (ids written as "@name", in creation order)
// and `edges` the relationships [start, end, type] in creation order.
//
// Each case is one of
//   {"name", "query", "expect": {"data": [...], "total": n}}       records.find
//   {"name", "query", "expect_error": {"code", "path"?}}          records.find
//   {"name", "method", "params", "expect" | "expect_error"}        any method
// "@name" strings anywhere are replaced by the record's id; {"$record": "@x"}
// in an expectation stands for the full stored record, {"$record": "@x",
// "with": {...}} for it with those keys added (flat select rows, examples.md
// "R(@x) + {...}"); {"$concat": [...]} for
// the concatenation of its strings after "@name" replacement (texts holding
// ids, e.g. an exported CSV); {"$any": true} matches any value. In the params
// of the engine runner, "%property/NAME/TYPE" stands for the id of that
// property. Object key order is not significant; array order is.
#ifndef LOOM_TESTS_QUERY_CASES_CASE_FILES_H_
#define LOOM_TESTS_QUERY_CASES_CASE_FILES_H_

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loom/json.h"

namespace loom::cases {

inline std::string CasesDir() { return LOOM_CASES_DIR; }

inline Json ReadJsonFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return Json::parse(ss.str());
}

// The case files (those with a "cases" array), sorted by file name.
inline std::vector<std::string> ListCaseFiles() {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(CasesDir())) {
    if (entry.path().extension() != ".json") continue;
    Json j = ReadJsonFile(entry.path().string());
    if (j.is_object() && j.contains("cases")) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A gtest parameter name for a case file: its name without extension, with
// every non-alphanumeric character replaced by '_'.
inline std::string CaseFileTestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param.substr(0, info.param.find('.'));
  for (char& ch : n) {
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return n;
}

// The dataset of a case file as {"script", "records", "edges"}.
inline Json ResolveDataset(const Json& file) {
  const Json& ds = file["dataset"];
  if (ds.is_string() && ds.get<std::string>() == "examples") {
    Json script = ReadJsonFile(CasesDir() + "/examples_dataset.json");
    Json fixture = ReadJsonFile(CasesDir() + "/examples_records.json");
    return Json{{"script", script["script"]},
                {"records", fixture["records"]},
                {"edges", fixture["edges"]}};
  }
  return ds;
}

// Replaces every string "@name" known to `ids` by the id.
inline Json Substitute(const Json& j, const std::map<std::string, std::string>& ids) {
  if (j.is_string()) {
    auto it = ids.find(j.get<std::string>());
    return it == ids.end() ? j : Json(it->second);
  }
  if (j.is_array()) {
    Json out = Json::array();
    for (const Json& e : j) out.push_back(Substitute(e, ids));
    return out;
  }
  if (j.is_object()) {
    Json out = Json::object();
    for (const auto& [k, v] : j.items()) out[k] = Substitute(v, ids);
    return out;
  }
  return j;
}

// Expands {"$record": "@x"} into the stored record (ids substituted).
inline Json ExpandRecords(const Json& j, const std::map<std::string, Json>& records_by_name,
                          const std::map<std::string, std::string>& ids) {
  if (j.is_object() && j.contains("$record") && (j.size() == 1 || (j.size() == 2 && j.contains("with")))) {
    auto it = records_by_name.find(j["$record"].get<std::string>());
    if (it == records_by_name.end()) return Json("<unknown record " + j["$record"].dump() + ">");
    Json record = Substitute(it->second, ids);
    if (j.contains("with")) {
      for (const auto& [k, v] : j["with"].items()) record[k] = ExpandRecords(v, records_by_name, ids);
    }
    return record;
  }
  if (j.is_object() && j.size() == 1 && j.contains("$concat") && j["$concat"].is_array()) {
    std::string out;
    for (const Json& part : j["$concat"]) {
      Json s = Substitute(part, ids);
      out += s.is_string() ? s.get<std::string>() : s.dump();
    }
    return Json(out);
  }
  if (j.is_array()) {
    Json out = Json::array();
    for (const Json& e : j) out.push_back(ExpandRecords(e, records_by_name, ids));
    return out;
  }
  if (j.is_object()) {
    Json out = Json::object();
    for (const auto& [k, v] : j.items()) out[k] = ExpandRecords(v, records_by_name, ids);
    return out;
  }
  return Substitute(j, ids);
}

// Structural match: objects ignore key order, arrays are ordered, numbers
// compare numerically, {"$any": true} matches anything.
inline bool JsonMatches(const Json& expected, const Json& actual) {
  if (expected.is_object() && expected.size() == 1 && expected.contains("$any")) return true;
  if (expected.is_number() && actual.is_number()) {
    return expected.get<double>() == actual.get<double>();
  }
  if (expected.type() != actual.type()) return false;
  if (expected.is_array()) {
    if (expected.size() != actual.size()) return false;
    for (size_t i = 0; i < expected.size(); ++i) {
      if (!JsonMatches(expected[i], actual[i])) return false;
    }
    return true;
  }
  if (expected.is_object()) {
    if (expected.size() != actual.size()) return false;
    for (const auto& [k, v] : expected.items()) {
      if (!actual.contains(k) || !JsonMatches(v, actual[k])) return false;
    }
    return true;
  }
  return expected == actual;
}

}  // namespace loom::cases

#endif  // LOOM_TESTS_QUERY_CASES_CASE_FILES_H_
