// python/src/loom_module.cc: the `loom._loom` extension. A thin layer over
// loom::Database::Call: Python objects become JSON (and back) in C++, with no
// JSON text in between, and the GIL is released while the engine works, so
// threads that share one database run their queries in parallel. The
// SDK-shaped API (RushDB, Record, SearchResult, ...) is Python, in loom/.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "loom/database.h"
#include "loom/options.h"
#include "loom/status.h"

namespace py = pybind11;

namespace {

using loom::Json;

constexpr int kMaxDepth = 64;

// Python -> JSON. Raises TypeError / ValueError with the path of the bad
// value for anything JSON cannot hold (bytes, NaN, ints past 64 bits, ...).
Json ToJson(py::handle obj, const std::string& path, int depth) {
  if (depth > kMaxDepth) throw py::value_error("value nested too deeply at " + path);
  if (obj.is_none()) return Json(nullptr);
  if (py::isinstance<py::bool_>(obj)) return Json(obj.cast<bool>());
  if (py::isinstance<py::int_>(obj)) {
    try {
      return Json(obj.cast<int64_t>());
    } catch (const py::cast_error&) {
      throw py::value_error("integer out of the 64-bit range at " + path);
    }
  }
  if (py::isinstance<py::float_>(obj)) {
    const double d = obj.cast<double>();
    if (!std::isfinite(d)) throw py::value_error("NaN and infinite numbers cannot be stored (at " + path + ")");
    return Json(d);
  }
  if (py::isinstance<py::str>(obj)) return Json(obj.cast<std::string>());
  if (py::isinstance<py::bytes>(obj) || py::isinstance<py::bytearray>(obj)) {
    throw py::type_error("bytes are not a JSON value (at " + path + "); decode them to str first");
  }
  if (py::isinstance<py::dict>(obj)) {
    Json out = Json::object();
    for (auto item : obj.cast<py::dict>()) {
      if (!py::isinstance<py::str>(item.first)) {
        throw py::type_error("object keys must be str (at " + path + ")");
      }
      const std::string key = item.first.cast<std::string>();
      out[key] = ToJson(item.second, path + "/" + key, depth + 1);
    }
    return out;
  }
  if (py::isinstance<py::list>(obj) || py::isinstance<py::tuple>(obj)) {
    Json out = Json::array();
    size_t i = 0;
    for (auto item : obj) out.push_back(ToJson(item, path + "/" + std::to_string(i++), depth + 1));
    return out;
  }
  // datetime.datetime / datetime.date: ISO-8601 text, the form loom stores.
  if (py::hasattr(obj, "isoformat")) return Json(obj.attr("isoformat")().cast<std::string>());
  throw py::type_error("cannot convert " + std::string(py::str(obj.get_type().attr("__name__"))) +
                       " to JSON (at " + path + ")");
}

// JSON -> Python: ints stay ints, floats floats.
py::object FromJson(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null:
      return py::none();
    case Json::value_t::boolean:
      return py::bool_(j.get<bool>());
    case Json::value_t::number_integer:
      return py::int_(j.get<int64_t>());
    case Json::value_t::number_unsigned:
      return py::int_(j.get<uint64_t>());
    case Json::value_t::number_float:
      return py::float_(j.get<double>());
    case Json::value_t::string:
      return py::str(j.get_ref<const std::string&>());
    case Json::value_t::array: {
      py::list out(j.size());
      for (size_t i = 0; i < j.size(); ++i) out[i] = FromJson(j[i]);
      return out;
    }
    case Json::value_t::object: {
      py::dict out;
      for (const auto& [k, v] : j.items()) out[py::str(k)] = FromJson(v);
      return out;
    }
    default:
      return py::none();
  }
}

class PyDatabase {
 public:
  PyDatabase(const std::string& path, bool read_only, const std::string& durability, std::optional<size_t> cache_bytes,
             bool create_if_missing) {
    loom::Options options;
    options.read_only = read_only;
    options.create_if_missing = create_if_missing;
    if (durability == "sync") {
      options.durability = loom::Durability::kSync;
    } else if (durability == "buffered") {
      options.durability = loom::Durability::kBuffered;
    } else {
      throw py::value_error("durability must be \"sync\" or \"buffered\"");
    }
    if (cache_bytes) options.block_cache_bytes = *cache_bytes;
    absl::StatusOr<std::unique_ptr<loom::Database>> db;
    {
      py::gil_scoped_release release;
      db = loom::Database::Open(path, options);
    }
    if (!db.ok()) throw Error(db.status());
    db_ = std::shared_ptr<loom::Database>(std::move(*db));
  }

  // (result, None) on success, (None, (code, message, path)) on an engine
  // error: the Python layer raises the SDK's exception types.
  py::tuple Call(const std::string& method, py::handle params, std::optional<std::string> tx) {
    // A call in flight keeps the database open even if another thread closes it.
    const std::shared_ptr<loom::Database> db = db_;
    if (db == nullptr) throw py::value_error("the database is closed");
    const Json args = ToJson(params, "", 0);
    absl::StatusOr<Json> result;
    {
      py::gil_scoped_release release;
      result = db->Call(method, args, tx ? std::string_view(*tx) : std::string_view());
    }
    if (!result.ok()) return py::make_tuple(py::none(), Describe(result.status()));
    return py::make_tuple(FromJson(*result), py::none());
  }

  void Close() {
    std::shared_ptr<loom::Database> db = std::move(db_);
    py::gil_scoped_release release;
    db.reset();
  }

  bool closed() const { return db_ == nullptr; }

 private:
  static py::tuple Describe(const absl::Status& status) {
    const std::optional<std::string> path = loom::ErrorPath(status);
    return py::make_tuple(std::string(loom::ErrorCodeName(loom::GetErrorCode(status))), std::string(status.message()),
                          path ? py::object(py::str(*path)) : py::object(py::none()));
  }
  static py::error_already_set Error(const absl::Status& status) {
    PyErr_SetString(PyExc_OSError, (std::string(loom::ErrorCodeName(loom::GetErrorCode(status))) + ": " +
                                    std::string(status.message()))
                                       .c_str());
    return py::error_already_set();
  }

  std::shared_ptr<loom::Database> db_;
};

}  // namespace

PYBIND11_MODULE(_loom, m) {
  m.doc() = "loom's engine, for the loom package (use loom.RushDB)";
  py::class_<PyDatabase>(m, "Database")
      .def(py::init<const std::string&, bool, const std::string&, std::optional<size_t>, bool>(), py::arg("path"),
           py::arg("read_only") = false, py::arg("durability") = "buffered", py::arg("cache_bytes") = py::none(),
           py::arg("create_if_missing") = true)
      .def("call", &PyDatabase::Call, py::arg("method"), py::arg("params"), py::arg("tx") = py::none(),
           "Runs one api.md method; returns (result, None) or (None, (code, message, path)).")
      .def("close", &PyDatabase::Close)
      .def_property_readonly("closed", &PyDatabase::closed);
}
