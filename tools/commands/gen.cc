// tools/commands/gen.cc: `loom gen`, a deterministic customer-360 data set.
//
// Output is a dataset bundle in JSONL form (import-export.md §6.2): one entry
// per line, `{"kind": "record", "__id", "__label", ...properties}` or
// `{"kind": "relationship", "sourceId", "targetId", "type"}`. Ids are
// UUIDv7-shaped and increase in file order, so creation order is reproducible.
// Entries are written account by account (the account, its users,
// subscriptions, invoices, touchpoints, feature usage and tickets, then their
// relationships), so every relationship follows both of its endpoints and a
// chunked load never sees a dangling endpoint. `loom import x.bundle.jsonl`
// loads it with all relationship types; nested importJson cannot express
// these (BELONGS_TO points from the child USER to its ACCOUNT, and one call
// has one relationshipType).
//
// Per unit of --scale (1,000 records, 960 relationships): 40 ACCOUNT,
// 160 USER, 60 SUBSCRIPTION, 360 INVOICE, 120 TOUCHPOINT, 100 SUPPORT_TICKET,
// 160 FEATURE_USAGE; BELONGS_TO user->account, HAS_SUBSCRIPTION
// account->subscription, HAS_INVOICE subscription->invoice, HAS_TOUCHPOINT
// account->touchpoint, CREATED user->ticket, USES_FEATURE account->usage.
// Property names follow spec/examples.md §2.1. --tutorial writes exactly the
// 36 records and 37 relationships of examples.md §2.1 instead.
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "loom/datetime.h"
#include "loom/status.h"
#include "tools/commands/commands.h"

namespace loom::cli {
namespace {

uint64_t SplitMix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// "YYYY-MM-DD" of a day count since 1970-01-01.
std::string Date(int64_t days) {
  int64_t y;
  int m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04" PRId64 "-%02d-%02d", y, m, d);
  return buf;
}

constexpr int64_t kDay2023 = 19358;  // 2023-01-01

class Writer {
 public:
  Writer(std::ostream& out, uint64_t seed) : out_(out), seed_(seed) {}

  // A UUIDv7-shaped id: 48-bit milliseconds (2025-01-01 + sequence), then
  // version 7, 12 random bits, variant 10, 62 random bits.
  std::string NextId() {
    const uint64_t seq = seq_++;
    const uint64_t ms = 1735689600000ull + seq;
    const uint64_t r = SplitMix(seed_ ^ (seq * 0x100000001B3ull));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%08" PRIx64 "-%04" PRIx64 "-7%03" PRIx64 "-%04" PRIx64 "-%012" PRIx64,
                  static_cast<uint64_t>((ms >> 16) & 0xFFFFFFFF), static_cast<uint64_t>(ms & 0xFFFF),
                  static_cast<uint64_t>(r & 0xFFF), static_cast<uint64_t>(0x8000 | ((r >> 12) & 0x3FFF)),
                  static_cast<uint64_t>((r >> 26) & 0xFFFFFFFFFFFF));
    return buf;
  }

  std::string Record(const char* label, Json properties) {
    Json entry = {{"kind", "record"}, {"__id", NextId()}, {"__label", label}};
    for (auto& [key, value] : properties.items()) {
      if (!value.is_null()) entry[key] = std::move(value);
    }
    out_ << entry.dump() << '\n';
    ++records_;
    return entry["__id"].get<std::string>();
  }

  void Edge(const std::string& from, const std::string& to, const char* type) {
    out_ << Json{{"kind", "relationship"}, {"sourceId", from}, {"targetId", to}, {"type", type}}.dump() << '\n';
    ++relationships_;
  }

  uint64_t records() const { return records_; }
  uint64_t relationships() const { return relationships_; }

 private:
  std::ostream& out_;
  uint64_t seed_;
  uint64_t seq_ = 0;
  uint64_t records_ = 0;
  uint64_t relationships_ = 0;
};

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return state_ = SplitMix(state_); }
  int64_t Uniform(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1)); }
  template <size_t N>
  const char* Pick(const char* const (&items)[N]) { return items[Next() % N]; }
  bool Chance(int percent) { return static_cast<int>(Next() % 100) < percent; }

 private:
  uint64_t state_;
};

constexpr const char* kNames[] = {"Acme",   "Globex",  "Initech", "Umbrella", "Hooli",   "Stark",  "Wayne",
                                  "Tyrell", "Cyberdyne", "Soylent", "Vandelay", "Wonka",  "Oscorp", "Aperture"};
constexpr const char* kSuffixes[] = {"Corp", "Industries", "Health", "Labs", "Systems", "Group"};
constexpr const char* kFirst[] = {"Alice", "Bob",   "Carol", "Dan",  "Erin",  "Frank", "Grace",
                                  "Heidi", "Ivan",  "Judy",  "Mallory", "Niaj", "Olivia", "Peggy"};
constexpr const char* kRegions[] = {"EU", "US", "APAC"};
constexpr const char* kPlans[] = {"starter", "pro", "enterprise"};
constexpr const char* kTags[] = {"manufacturing", "priority", "energy", "software", "health", "retail"};
constexpr const char* kChannels[] = {"email", "call", "demo", "Email", "webinar"};
constexpr const char* kTopics[] = {"Renewal Reminder", "QBR follow-up", "Analytics add-on DEMO",
                                   "renewal pricing", "Onboarding", "Security review"};
constexpr const char* kTickets[] = {"SSO login fails", "Invoice question", "Export timeout", "API rate limits",
                                    "Dashboard slow", "Password reset"};
constexpr const char* kPriorities[] = {"high", "medium", "low"};
constexpr const char* kFeatures[] = {"dashboards", "exports", "api", "alerts", "sso"};

void GenerateAccount(Writer& w, Rng& rng, int64_t n) {
  const int64_t mrr_unit = rng.Uniform(1, 40);
  const char* plan = kPlans[rng.Next() % 3];
  const int64_t created = kDay2023 + rng.Uniform(0, 720);
  Json tags = Json::array();
  for (int i = 0, k = static_cast<int>(rng.Next() % 3); i < k; ++i) tags.push_back(rng.Pick(kTags));
  std::string company = std::string(kNames[n % std::size(kNames)]) + " " + kSuffixes[(n / 14) % std::size(kSuffixes)];
  if (n >= 84) company += " " + std::to_string(n / 84 + 1);
  Json account = {{"name", company}, {"plan", plan}, {"mrr", mrr_unit * 100}, {"createdAt", Date(created)},
                  {"tags", tags}};
  if (!rng.Chance(10)) account["region"] = rng.Pick(kRegions);
  const std::string acc = w.Record("ACCOUNT", account);

  std::vector<std::string> users;
  for (int u = 0; u < 4; ++u) {
    const char* first = kFirst[(n * 4 + u) % std::size(kFirst)];
    std::string email = first;
    for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    email += "." + std::to_string(n * 4 + u) + "@example.com";
    Json user = {{"email", email}, {"name", first}, {"role", u == 0 ? "admin" : "member"}};
    if (!rng.Chance(15)) user["lastActiveAt"] = Date(kDay2023 + 730 + rng.Uniform(0, 90));
    users.push_back(w.Record("USER", user));
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> subs;
  for (int s = 0, k = 1 + static_cast<int>(n % 2); s < k; ++s) {
    const bool active = s == k - 1;
    const int64_t started = created + s * 180;
    Json sub = {{"plan", plan}, {"status", active ? (rng.Chance(15) ? "trial" : "active") : "cancelled"},
                {"startedAt", Date(started)}, {"seats", rng.Uniform(3, 60)}};
    if (active) sub["renewsAt"] = Date(started + 365);
    const std::string id = w.Record("SUBSCRIPTION", sub);
    std::vector<std::string> invoices;
    for (int i = 0; i < 6; ++i) {
      const int64_t month_day = kDay2023 + 730 + 31 * i;  // 2025-01 .. 2025-06
      const std::string month = Date(month_day).substr(0, 7);
      const bool paid = !rng.Chance(15);
      Json inv = {{"month", month}, {"amount", mrr_unit * 100}, {"status", paid ? "paid" : "overdue"}};
      if (paid) inv["paidAt"] = month + "-0" + std::to_string(rng.Uniform(1, 9));
      invoices.push_back(w.Record("INVOICE", inv));
    }
    subs.emplace_back(id, std::move(invoices));
  }
  std::vector<std::string> touchpoints;
  for (int t = 0; t < 3; ++t) {
    char at[32];
    std::snprintf(at, sizeof at, "%sT%02d:%02d:00Z", Date(kDay2023 + 730 + rng.Uniform(0, 120)).c_str(),
                  static_cast<int>(rng.Uniform(8, 17)), static_cast<int>(rng.Uniform(0, 3)) * 15);
    Json embedding = Json::array();
    for (int d = 0; d < 4; ++d) embedding.push_back(rng.Uniform(-1, 1));
    touchpoints.push_back(w.Record("TOUCHPOINT", {{"channel", rng.Pick(kChannels)},
                                                  {"subject", rng.Pick(kTopics)},
                                                  {"occurredAt", at},
                                                  {"embedding", embedding}}));
  }
  std::vector<std::string> usage;
  for (int f = 0; f < 4; ++f) {
    usage.push_back(w.Record("FEATURE_USAGE", {{"feature", kFeatures[(n + f) % std::size(kFeatures)]},
                                               {"count", rng.Uniform(1, 400)},
                                               {"week", Date(kDay2023 + 793 + 7 * rng.Uniform(0, 8))}}));
  }
  std::vector<std::pair<std::string, std::string>> tickets;  // (user, ticket)
  for (int t = 0, k = 2 + (n % 2 == 0 ? 1 : 0); t < k; ++t) {
    char at[32];
    std::snprintf(at, sizeof at, "%sT%02d:%02d:00Z", Date(kDay2023 + 730 + rng.Uniform(0, 90)).c_str(),
                  static_cast<int>(rng.Uniform(0, 23)), static_cast<int>(rng.Uniform(0, 59)));
    const std::string& creator = users[rng.Next() % users.size()];
    tickets.emplace_back(creator, w.Record("SUPPORT_TICKET", {{"subject", rng.Pick(kTickets)},
                                                              {"priority", rng.Pick(kPriorities)},
                                                              {"status", rng.Chance(60) ? "open" : "closed"},
                                                              {"createdAt", at}}));
  }
  for (const std::string& u : users) w.Edge(u, acc, "BELONGS_TO");
  for (const auto& [sub, invoices] : subs) {
    w.Edge(acc, sub, "HAS_SUBSCRIPTION");
    for (const std::string& inv : invoices) w.Edge(sub, inv, "HAS_INVOICE");
  }
  for (const std::string& t : touchpoints) w.Edge(acc, t, "HAS_TOUCHPOINT");
  for (const auto& [user, ticket] : tickets) w.Edge(user, ticket, "CREATED");
  for (const std::string& f : usage) w.Edge(acc, f, "USES_FEATURE");
}

// examples.md §2.1, in creation order.
void GenerateTutorial(Writer& w) {
  auto rec = [&](const char* label, Json props) { return w.Record(label, std::move(props)); };
  const std::string acme = rec("ACCOUNT", {{"name", "Acme Corp"}, {"plan", "enterprise"}, {"region", "EU"},
                                           {"mrr", 1200}, {"createdAt", "2024-01-15"},
                                           {"tags", {"manufacturing", "priority"}}});
  const std::string globex = rec("ACCOUNT", {{"name", "Globex"}, {"plan", "pro"}, {"region", "US"}, {"mrr", 800},
                                             {"createdAt", "2024-03-02"}, {"tags", {"energy"}}});
  const std::string initech = rec("ACCOUNT", {{"name", "Initech"}, {"plan", "enterprise"}, {"region", "US"},
                                              {"mrr", 2000}, {"createdAt", "2023-11-20"},
                                              {"tags", {"software", "priority"}}});
  const std::string umbrella = rec("ACCOUNT", {{"name", "Umbrella Health"}, {"plan", "starter"}, {"region", "EU"},
                                               {"mrr", 150}, {"createdAt", "2024-06-10"}});
  const std::string hooli = rec("ACCOUNT", {{"name", "Hooli"}, {"plan", "pro"}, {"mrr", 400},
                                            {"createdAt", "2024-02-29T09:30:00Z"}, {"tags", Json::array()}});
  const std::string alice = rec("USER", {{"email", "alice@acme.com"}, {"name", "Alice"}, {"role", "admin"},
                                         {"lastActiveAt", "2025-03-01"}});
  const std::string bob = rec("USER", {{"email", "bob@acme.com"}, {"name", "Bob"}, {"role", "member"},
                                       {"lastActiveAt", "2025-02-20"}});
  const std::string carol = rec("USER", {{"email", "carol@globex.com"}, {"name", "Carol"}, {"role", "admin"},
                                         {"lastActiveAt", "2025-03-03"}});
  const std::string dan = rec("USER", {{"email", "dan@initech.com"}, {"name", "Dan"}, {"role", "member"}});
  const std::string erin = rec("USER", {{"email", "erin@umbrella.com"}, {"name", "Erin"}, {"role", "admin"},
                                        {"lastActiveAt", "2025-01-10"}});
  const std::string sub_acme = rec("SUBSCRIPTION", {{"plan", "enterprise"}, {"status", "active"},
                                                    {"startedAt", "2024-01-15"}, {"renewsAt", "2026-01-15"},
                                                    {"seats", 25}});
  const std::string sub_globex = rec("SUBSCRIPTION", {{"plan", "pro"}, {"status", "active"},
                                                      {"startedAt", "2024-03-02"}, {"renewsAt", "2025-03-02"},
                                                      {"seats", 10}});
  const std::string sub_initech_old = rec("SUBSCRIPTION", {{"plan", "pro"}, {"status", "cancelled"},
                                                           {"startedAt", "2023-11-20"}, {"seats", 5}});
  const std::string sub_initech = rec("SUBSCRIPTION", {{"plan", "enterprise"}, {"status", "active"},
                                                       {"startedAt", "2024-11-20"}, {"renewsAt", "2025-11-20"},
                                                       {"seats", 40}});
  const std::string sub_umbrella = rec("SUBSCRIPTION", {{"plan", "starter"}, {"status", "trial"},
                                                        {"startedAt", "2024-06-10"}, {"seats", 3}});
  auto invoice = [&](const char* month, int amount, const char* status, const char* paid) {
    Json props = {{"month", month}, {"amount", amount}, {"status", status}};
    if (paid != nullptr) props["paidAt"] = paid;
    return rec("INVOICE", props);
  };
  const std::string inv1 = invoice("2025-01", 1200, "paid", "2025-01-05");
  const std::string inv2 = invoice("2025-02", 1200, "paid", "2025-02-05");
  const std::string inv3 = invoice("2025-03", 1200, "overdue", nullptr);
  const std::string inv4 = invoice("2025-02", 800, "paid", "2025-02-10");
  const std::string inv5 = invoice("2025-03", 800, "overdue", nullptr);
  const std::string inv6 = invoice("2025-03", 2000, "paid", "2025-03-04");
  const std::string inv7 = invoice("2024-10", 500, "overdue", nullptr);
  auto touch = [&](const char* channel, const char* subject, const char* at, Json embedding) {
    return rec("TOUCHPOINT", {{"channel", channel}, {"subject", subject}, {"occurredAt", at},
                              {"embedding", embedding}});
  };
  const std::string tp1 = touch("Email", "Renewal Reminder", "2025-01-20T10:00:00Z", {1, 1, 0, 0});
  const std::string tp2 = touch("call", "QBR follow-up", "2025-02-03T15:30:00Z", {1, 0, 1, 0});
  const std::string tp3 = touch("demo", "Analytics add-on DEMO", "2025-02-14T09:00:00Z", {0, 0, 1, 1});
  const std::string tp4 = touch("email", "renewal pricing", "2025-03-01T08:00:00Z", {-1, -1, 0, 0});
  auto ticket = [&](const char* subject, const char* priority, const char* status, const char* at) {
    return rec("SUPPORT_TICKET", {{"subject", subject}, {"priority", priority}, {"status", status},
                                  {"createdAt", at}});
  };
  const std::string t1 = ticket("SSO login fails", "high", "open", "2025-03-02T11:00:00Z");
  const std::string t2 = ticket("Invoice question", "low", "closed", "2025-02-11T09:15:00Z");
  const std::string t3 = ticket("Export timeout", "high", "open", "2025-03-05T16:45:00Z");
  const std::string t4 = ticket("API rate limits", "medium", "open", "2025-01-28T13:00:00Z");
  const std::string stark = rec("ACCOUNT", {{"name", "Stark Industries"}, {"plan", "enterprise"},
                                            {"region", "APAC"}, {"mrr", 3000}, {"createdAt", "2024-09-01"}});
  auto usage = [&](const char* feature, int count, const char* week) {
    return rec("FEATURE_USAGE", {{"feature", feature}, {"count", count}, {"week", week}});
  };
  const std::string fu1 = usage("dashboards", 40, "2025-03-03");
  const std::string fu2 = usage("exports", 12, "2025-03-03");
  const std::string fu3 = usage("dashboards", 25, "2025-03-03");
  const std::string fu4 = usage("api", 310, "2025-03-03");
  const std::string fu5 = usage("dashboards", 5, "2025-03-10");

  for (const auto& [u, a] : {std::pair{alice, acme}, {bob, acme}, {carol, globex}, {dan, initech}, {erin, umbrella}}) {
    w.Edge(u, a, "BELONGS_TO");
  }
  for (const auto& [a, s] : {std::pair{acme, sub_acme}, {globex, sub_globex}, {initech, sub_initech_old},
                             {initech, sub_initech}, {umbrella, sub_umbrella}}) {
    w.Edge(a, s, "HAS_SUBSCRIPTION");
  }
  for (const auto& [s, i] : {std::pair{sub_acme, inv1}, {sub_acme, inv2}, {sub_acme, inv3}, {sub_globex, inv4},
                             {sub_globex, inv5}, {sub_initech, inv6}, {sub_initech_old, inv7}}) {
    w.Edge(s, i, "HAS_INVOICE");
  }
  for (const auto& [a, t] : {std::pair{acme, tp1}, {acme, tp2}, {globex, tp3}, {initech, tp4}}) {
    w.Edge(a, t, "HAS_TOUCHPOINT");
  }
  for (const auto& [u, t] : {std::pair{alice, t1}, {bob, t2}, {carol, t3}, {alice, t4}}) w.Edge(u, t, "CREATED");
  for (const auto& [a, f] : {std::pair{stark, fu1}, {stark, fu2}, {acme, fu3}, {acme, fu4}, {globex, fu5}}) {
    w.Edge(a, f, "USES_FEATURE");
  }
  for (const auto& [a, b] : {std::pair{acme, globex}, {globex, umbrella}, {umbrella, hooli}}) w.Edge(a, b, "REFERRED");
  for (const auto& [a, b] : {std::pair{globex, initech}, {initech, stark}, {stark, globex}, {acme, globex}}) {
    w.Edge(a, b, "RESELLS_TO");
  }
}

}  // namespace

int RunGen(const Context& ctx, const GenArgs& args) {
  if (args.scale < 1 && !args.tutorial) return ReportUsage("--scale must be at least 1");
  std::unique_ptr<std::ofstream> file;
  std::ostream* out = &std::cout;
  if (!args.output.empty() && args.output != "-") {
    file = std::make_unique<std::ofstream>(args.output, std::ios::binary | std::ios::trunc);
    if (!*file) return ReportError(ctx, InvalidArgument("", "cannot write " + args.output));
    out = file.get();
  }
  Writer writer(*out, args.seed);
  if (args.tutorial) {
    GenerateTutorial(writer);
  } else {
    Rng rng(args.seed);
    for (int64_t n = 0; n < 40 * args.scale; ++n) GenerateAccount(writer, rng, n);
  }
  out->flush();
  if (!*out) return ReportError(ctx, MakeError(ErrorCode::kInternal, "writing the data set failed"));
  if (file) {
    std::cerr << "wrote " << writer.records() << " records, " << writer.relationships() << " relationships to "
              << args.output << std::endl;
  }
  return kExitOk;
}

}  // namespace loom::cli
