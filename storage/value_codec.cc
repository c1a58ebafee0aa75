#include "storage/value_codec.h"

#include <cstring>

#include "storage/key_codec.h"

namespace loom::storage {
namespace {

enum ElementTag : uint8_t { kElemFalse = 0, kElemTrue = 1, kElemNumber = 2, kElemString = 3 };

void AppendElement(std::string* dst, const Scalar& s) {
  if (const bool* b = std::get_if<bool>(&s)) {
    dst->push_back(*b ? kElemTrue : kElemFalse);
  } else if (const double* d = std::get_if<double>(&s)) {
    dst->push_back(kElemNumber);
    char buf[8];
    std::memcpy(buf, d, 8);
    dst->append(buf, 8);
  } else {
    const std::string& str = std::get<std::string>(s);
    dst->push_back(kElemString);
    AppendVarint(dst, str.size());
    dst->append(str);
  }
}

bool ConsumeElement(std::string_view* in, Scalar* out) {
  if (in->empty()) return false;
  uint8_t tag = static_cast<uint8_t>((*in)[0]);
  in->remove_prefix(1);
  switch (tag) {
    case kElemFalse: *out = false; return true;
    case kElemTrue: *out = true; return true;
    case kElemNumber: {
      if (in->size() < 8) return false;
      double d;
      std::memcpy(&d, in->data(), 8);
      in->remove_prefix(8);
      *out = d;
      return true;
    }
    case kElemString: {
      uint64_t n;
      if (!ConsumeVarint(in, &n) || in->size() < n) return false;
      *out = std::string(in->substr(0, n));
      in->remove_prefix(n);
      return true;
    }
    default: return false;
  }
}

bool DecodePayload(std::string_view payload, PropType type, bool is_array, Value* out) {
  out->type = type;
  out->is_array = is_array;
  out->items.clear();
  uint64_t count = 1;
  if (is_array && !ConsumeVarint(&payload, &count)) return false;
  if (count > payload.size()) return false;  // every element takes at least one byte
  out->items.resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    if (!ConsumeElement(&payload, &out->items[i])) return false;
  }
  return payload.empty();
}

// Reads a property's header; leaves `payload` pointing at its bytes.
bool ConsumePropertyHeader(std::string_view* in, uint64_t* name, uint8_t* type, uint8_t* flags,
                           std::string_view* payload) {
  uint64_t len;
  // Names are 32-bit dictionary ids: anything wider is corruption.
  if (!ConsumeVarint(in, name) || *name > UINT32_MAX || in->size() < 2) return false;
  *type = static_cast<uint8_t>((*in)[0]);
  *flags = static_cast<uint8_t>((*in)[1]);
  in->remove_prefix(2);
  if (!ConsumeVarint(in, &len) || in->size() < len) return false;
  *payload = in->substr(0, len);
  in->remove_prefix(len);
  return true;
}

bool ConsumeHeader(std::string_view* in, NameId* label, std::string* id) {
  uint64_t l, n;
  if (!ConsumeVarint(in, &l) || l > UINT32_MAX || !ConsumeVarint(in, &n) || in->size() < n) return false;
  *label = static_cast<NameId>(l);
  id->assign(in->data(), n);
  in->remove_prefix(n);
  return true;
}

}  // namespace

void AppendVarint(std::string* dst, uint64_t v) {
  while (v >= 0x80) {
    dst->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  dst->push_back(static_cast<char>(v));
}

bool ConsumeVarint(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0, i = 0; shift <= 63 && i < static_cast<int>(in->size()); shift += 7, ++i) {
    uint64_t byte = static_cast<unsigned char>((*in)[i]);
    result |= (byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      in->remove_prefix(i + 1);
      *v = result;
      return true;
    }
  }
  return false;
}

void EncodeRecord(const StoredRecord& record, std::string* dst) {
  AppendVarint(dst, record.label);
  AppendVarint(dst, record.id.size());
  dst->append(record.id);
  AppendVarint(dst, record.properties.size());
  std::string payload;
  for (const StoredProperty& p : record.properties) {
    payload.clear();
    if (p.value.is_array) AppendVarint(&payload, p.value.items.size());
    for (const Scalar& s : p.value.items) AppendElement(&payload, s);
    AppendVarint(dst, p.name);
    dst->push_back(static_cast<char>(p.value.type));
    dst->push_back(p.value.is_array ? 1 : 0);
    AppendVarint(dst, payload.size());
    dst->append(payload);
  }
}

bool DecodeRecord(std::string_view bytes, StoredRecord* out) {
  uint64_t n;
  if (!ConsumeHeader(&bytes, &out->label, &out->id) || !ConsumeVarint(&bytes, &n)) return false;
  if (n > bytes.size()) return false;
  out->properties.resize(n);
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t name;
    uint8_t type, flags;
    std::string_view payload;
    if (!ConsumePropertyHeader(&bytes, &name, &type, &flags, &payload)) return false;
    out->properties[i].name = static_cast<NameId>(name);
    if (!DecodePayload(payload, static_cast<PropType>(type), flags & 1, &out->properties[i].value)) {
      return false;
    }
  }
  return bytes.empty();
}

bool DecodeRecordHeader(std::string_view bytes, NameId* label, std::string* id) {
  return ConsumeHeader(&bytes, label, id);
}

bool DecodeRecordProperty(std::string_view bytes, NameId name, bool* found, Value* out) {
  *found = false;
  NameId label;
  std::string id;
  uint64_t n;
  if (!ConsumeHeader(&bytes, &label, &id) || !ConsumeVarint(&bytes, &n)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t prop;
    uint8_t type, flags;
    std::string_view payload;
    if (!ConsumePropertyHeader(&bytes, &prop, &type, &flags, &payload)) return false;
    if (prop == name) {
      *found = true;
      return DecodePayload(payload, static_cast<PropType>(type), flags & 1, out);
    }
  }
  return true;
}

IndexEntry IndexEntryForScalar(const Scalar& scalar) {
  IndexEntry e;
  if (const bool* b = std::get_if<bool>(&scalar)) {
    e.tag = *b ? IndexTag::kTrue : IndexTag::kFalse;
  } else if (const double* d = std::get_if<double>(&scalar)) {
    e.tag = IndexTag::kNumber;
    AppendOrderedDouble(&e.ordered, *d);
  } else {
    e.tag = IndexTag::kString;
    AppendStr0(&e.ordered, std::get<std::string>(scalar));
  }
  return e;
}

void IndexEntriesFor(const Value& value, std::vector<IndexEntry>* out) {
  for (const Scalar& s : value.items) {
    out->push_back(IndexEntryForScalar(s));
    if (value.type == PropType::kDatetime) {
      if (const std::string* text = std::get_if<std::string>(&s)) {
        if (auto instant = ParseDatetimeInstant(*text)) {
          IndexEntry e{IndexTag::kInstant, {}};
          AppendOrderedInstant(&e.ordered, *instant);
          out->push_back(std::move(e));
        }
      }
    }
  }
}

}  // namespace loom::storage
