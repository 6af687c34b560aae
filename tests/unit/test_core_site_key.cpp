// Tests of core/site_key.h: a key of a KeyTable means its text; comparing keys is comparing
// their texts, whatever the mix of table keys and text keys, and pieces that are prefixes of
// one another or sort around the separator bytes.
#include <doctest/doctest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/site_key.h"

using namespace memleak;
using core::KeyTable;
using core::SiteKey;

namespace {

// The text a key of `ids` stands for, by the rule the aligner used to build keys as text.
std::string text_of(const KeyTable& table, const std::vector<uint32_t>& ids) {
  std::string out;
  for (const uint32_t id : ids) {
    if (id == SiteKey::kCallerMark) {
      out += '\x1e';
      continue;
    }
    if (!out.empty()) out += '\x1f';
    out += table.piece(id);
  }
  return out;
}

int sign(int c) { return c < 0 ? -1 : c > 0 ? 1 : 0; }

}  // namespace

TEST_CASE("core::SiteKey: the text of a key of a table") {
  auto table = std::make_shared<KeyTable>();
  const uint32_t a = table->intern("alloc\x1d" "a.c");
  const uint32_t b = table->intern("main\x1d" "main.c:3");
  CHECK(table->intern("alloc\x1d" "a.c") == a);  // each piece once
  const SiteKey site = SiteKey::make(table, {a, b});
  const SiteKey caller = SiteKey::make(table, {a, b, SiteKey::kCallerMark, b});
  CHECK(site.text() == "alloc\x1d" "a.c\x1f" "main\x1d" "main.c:3");
  CHECK(caller.text() == site.text() + "\x1e\x1f" "main\x1d" "main.c:3");
  CHECK(SiteKey::make(table, {}).text().empty());
  CHECK(SiteKey::make(table, {}).empty());
  CHECK(SiteKey("(others)").text() == "(others)");
  // A key of a table and a key that holds the same text are equal.
  CHECK(site == SiteKey(site.text()));
  CHECK_FALSE(site < SiteKey(site.text()));
  CHECK_FALSE(SiteKey(site.text()) < site);
  CHECK(site < caller);
  // A caller path's key continues its site's: its site part is the site's key.
  CHECK_FALSE(site.has_caller());
  CHECK(caller.has_caller());
  CHECK(site.site_size() == 2);
  CHECK(caller.site_size() == 2);
  CHECK(caller.site_text() == site.text());
  CHECK(site.site_text() == site.text());
  const SiteKey rest(site.text() + "\x1e(other callers)");  // a key of text
  CHECK(rest.has_caller());
  CHECK(rest.site_text() == site.text());
  CHECK(rest.site_size() == 0);
  CHECK_FALSE(SiteKey(site.text()).has_caller());
}

TEST_CASE("core::SiteKey: keys compare as their texts (random keys, two tables and texts)") {
  // Pieces from a small alphabet, with bytes below and above the separators, many of them
  // prefixes of others; keys of up to 6 pieces with caller marks anywhere.
  std::mt19937 rng(7);
  const std::string alphabet = std::string("ab\x1d\x01~") + "\xc3";
  auto random_piece = [&] {
    std::string s(1 + rng() % 4, 'a');
    for (auto& c : s) c = alphabet[rng() % alphabet.size()];
    return s;
  };
  std::vector<std::shared_ptr<KeyTable>> tables = {std::make_shared<KeyTable>(),
                                                   std::make_shared<KeyTable>()};
  std::vector<std::string> pieces;
  for (int i = 0; i < 40; ++i) pieces.push_back(random_piece());
  struct Made {
    SiteKey key;
    std::string text;
  };
  std::vector<Made> keys;
  for (int i = 0; i < 600; ++i) {
    auto& table = tables[rng() % 2];
    std::vector<uint32_t> ids;
    const size_t n = rng() % 7;
    for (size_t j = 0; j < n; ++j)
      ids.push_back(rng() % 8 == 0 ? SiteKey::kCallerMark
                                   : table->intern(pieces[rng() % pieces.size()]));
    const std::string text = text_of(*table, ids);
    keys.push_back({SiteKey::make(table, ids), text});
    if (rng() % 4 == 0) keys.push_back({SiteKey(text), text});  // the same text, held
  }
  size_t equal_pairs = 0;
  for (const auto& x : keys) {
    CHECK(x.key.text() == x.text);
    for (const auto& y : keys) {
      const int want = sign(x.text.compare(y.text));
      REQUIRE(sign(SiteKey::compare(x.key, y.key)) == want);
      REQUIRE((x.key < y.key) == (want < 0));
      // Pieces hold no separator byte, so equal texts are equal keys.
      REQUIRE((x.key == y.key) == (want == 0));
      equal_pairs += want == 0;
    }
  }
  CHECK(equal_pairs > keys.size());  // some keys other than each with itself were equal
}
