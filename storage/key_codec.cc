#include "storage/key_codec.h"

#include <cstring>

namespace loom::storage {

void AppendU32(std::string* dst, uint32_t v) {
  char buf[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                 static_cast<char>(v)};
  dst->append(buf, 4);
}

void AppendU64(std::string* dst, uint64_t v) {
  AppendU32(dst, static_cast<uint32_t>(v >> 32));
  AppendU32(dst, static_cast<uint32_t>(v));
}

uint32_t DecodeU32(const char* p) {
  auto b = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

uint64_t DecodeU64(const char* p) { return (uint64_t{DecodeU32(p)} << 32) | DecodeU32(p + 4); }

bool ConsumeU32(std::string_view* in, uint32_t* v) {
  if (in->size() < 4) return false;
  *v = DecodeU32(in->data());
  in->remove_prefix(4);
  return true;
}

bool ConsumeU64(std::string_view* in, uint64_t* v) {
  if (in->size() < 8) return false;
  *v = DecodeU64(in->data());
  in->remove_prefix(8);
  return true;
}

void AppendOrderedDouble(std::string* dst, double v) {
  if (v == 0) v = 0;  // -0 and +0 are one value
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  bits = (bits & (uint64_t{1} << 63)) ? ~bits : bits | (uint64_t{1} << 63);
  AppendU64(dst, bits);
}

double DecodeOrderedDouble(const char* p) {
  uint64_t bits = DecodeU64(p);
  bits = (bits & (uint64_t{1} << 63)) ? bits & ~(uint64_t{1} << 63) : ~bits;
  double v;
  std::memcpy(&v, &bits, 8);
  return v;
}

void AppendStr0Prefix(std::string* dst, std::string_view s) {
  for (char c : s) {
    dst->push_back(c);
    if (c == '\0') dst->push_back('\xff');
  }
}

void AppendStr0(std::string* dst, std::string_view s) {
  AppendStr0Prefix(dst, s);
  dst->push_back('\0');
  dst->push_back('\x01');
}

bool ConsumeStr0(std::string_view* in, std::string* out) {
  out->clear();
  for (size_t i = 0; i + 1 < in->size(); ++i) {
    char c = (*in)[i];
    if (c != '\0') {
      out->push_back(c);
      continue;
    }
    char next = (*in)[i + 1];
    if (next == '\x01') {
      in->remove_prefix(i + 2);
      return true;
    }
    if (next != '\xff') return false;
    out->push_back('\0');
    ++i;
  }
  return false;
}

void AppendOrderedInstant(std::string* dst, Instant t) {
  AppendU64(dst, static_cast<uint64_t>(t.seconds) ^ (uint64_t{1} << 63));
  AppendU32(dst, static_cast<uint32_t>(t.nanos));
}

std::string RecordKey(Rid rid) {
  std::string k;
  AppendU64(&k, rid);
  return k;
}

std::string LabelPrefix(NameId label) {
  std::string k;
  AppendU32(&k, label);
  return k;
}

std::string LabelKey(NameId label, Rid rid) {
  std::string k = LabelPrefix(label);
  AppendU64(&k, rid);
  return k;
}

std::string PropPrefix(NameId label, NameId prop, IndexTag tag) {
  std::string k;
  AppendU32(&k, label);
  AppendU32(&k, prop);
  k.push_back(static_cast<char>(tag));
  return k;
}

void AppendPropKey(std::string* dst, NameId label, NameId prop, IndexTag tag, std::string_view ordered_value,
                   Rid rid) {
  AppendU32(dst, label);
  AppendU32(dst, prop);
  dst->push_back(static_cast<char>(tag));
  dst->append(ordered_value);
  AppendU64(dst, rid);
}

std::string PropKey(NameId label, NameId prop, IndexTag tag, std::string_view ordered_value, Rid rid) {
  std::string k;
  AppendPropKey(&k, label, prop, tag, ordered_value, rid);
  return k;
}

Rid PropKeyRid(std::string_view key) { return DecodeU64(key.data() + key.size() - 8); }

std::string EdgePrefix(Rid rid) {
  std::string k;
  AppendU64(&k, rid);
  return k;
}

std::string EdgePrefix(Rid rid, Direction dir) {
  std::string k = EdgePrefix(rid);
  k.push_back(static_cast<char>(dir));
  return k;
}

std::string EdgePrefix(Rid rid, Direction dir, NameId type) {
  std::string k = EdgePrefix(rid, dir);
  AppendU32(&k, type);
  return k;
}

std::string EdgePrefix(Rid rid, Direction dir, NameId type, NameId nbr_label) {
  std::string k = EdgePrefix(rid, dir, type);
  AppendU32(&k, nbr_label);
  return k;
}

std::string EdgeKey(const EdgeRef& e) {
  std::string k = EdgePrefix(e.self, e.dir, e.type, e.nbr_label);
  AppendU64(&k, e.nbr);
  AppendU64(&k, e.eid);
  return k;
}

bool DecodeEdgeKey(std::string_view key, EdgeRef* e) {
  if (key.size() != kEdgeKeySize) return false;
  const char* p = key.data();
  e->self = DecodeU64(p);
  e->dir = static_cast<Direction>(p[8]);
  e->type = DecodeU32(p + 9);
  e->nbr_label = DecodeU32(p + 13);
  e->nbr = DecodeU64(p + 17);
  e->eid = DecodeU64(p + 25);
  return true;
}

std::string DictKey(uint8_t kind, std::string_view name) {
  std::string k(1, kDictTag);
  k.push_back(static_cast<char>(kind));
  k.append(name);
  return k;
}

std::string CounterKeyTotal() { return std::string{kCounterTag, '\0'}; }

std::string CounterKeyLabel(NameId label) {
  std::string k{kCounterTag, '\x01'};
  AppendU32(&k, label);
  return k;
}

std::string CounterKeyProperty(NameId label, NameId prop, PropType type) {
  std::string k{kCounterTag, '\x02'};
  AppendU32(&k, label);
  AppendU32(&k, prop);
  k.push_back(static_cast<char>(type));
  return k;
}

std::string CounterKeyEdge(NameId label, Direction dir, NameId type, NameId nbr_label) {
  std::string k{kCounterTag, '\x03'};
  AppendU32(&k, label);
  k.push_back(static_cast<char>(dir));
  AppendU32(&k, type);
  AppendU32(&k, nbr_label);
  return k;
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    unsigned char last = static_cast<unsigned char>(s.back());
    if (last != 0xff) {
      s.back() = static_cast<char>(last + 1);
      return s;
    }
    s.pop_back();
  }
  return s;
}

}  // namespace loom::storage
