// Search over the in-memory engine: every key MemStore answers.
#include "storage/mem/mem_search.h"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/clock.h"
#include "storage/mailbox.h"
#include "storage/mem/mem_store.h"
#include "storage/transaction.h"

namespace roost::storage {
namespace {

NumberSet Set(std::vector<uint32_t> values) {
  NumberSet s;
  for (auto v : values) s.Add(v, v);
  return s;
}

void AppendN(Mailbox& box, int n) {
  auto tx = box.Begin();
  for (int i = 1; i <= n; ++i) {
    AppendMessage m;
    m.data = "From: a@example.org\nSubject: message " + std::to_string(i) +
             "\nDate: Mon, 7 Feb 1994 21:52:25 -0800\n\nbody " + std::to_string(i) + "\n";
    ASSERT_TRUE(tx->Append(std::move(m)).ok());
  }
  ASSERT_TRUE(tx->Commit().has_value());
}

Result<CommitInfo> Store(Mailbox& box, const NumberSet& uids, FlagOp op, uint8_t system,
                         std::vector<std::string> keywords) {
  auto tx = box.Begin();
  ROOST_RETURN_IF_ERROR(tx->UpdateFlags(uids, FlagUpdate{op, system, std::move(keywords), {}}));
  return tx->Commit();
}

TEST(MemSearchTest, KeysOverFlagsHeadersBodyAndDates) {
  auto store = NewMemStore();
  auto box = std::move(store->Open("INBOX", OpenMode::kReadWrite).value());
  AppendN(*box, 3);
  {
    auto tx = box->Begin();
    AppendMessage m;
    m.data = "Subject: Hello World\r\nX-Folded: first\r\n second\r\nDate: 3 Mar 2021 10:00 +0000\r\n\r\nNeedle in body\r\n";
    m.internal_date = 1'600'000'000;  // 2020-09-13
    ASSERT_TRUE(tx->Append(std::move(m)).ok());
    ASSERT_TRUE(tx->Commit().has_value());
  }
  ASSERT_TRUE(Store(*box, Set({2}), FlagOp::kAdd, kFlagSeen, {"$Work"}).has_value());
  ASSERT_TRUE(box->Sync().has_value());
  auto run = [&](SearchKey key) {
    auto r = box->Search(SearchProgram{std::move(key)});
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r.has_value() ? *r : std::vector<Uid>{};
  };
  using K = SearchKey::Kind;
  auto Key = [](K kind, uint64_t number = 0, std::string header = "", std::string text = "") {
    SearchKey k;
    k.kind = kind;
    k.number = number;
    k.header_name = std::move(header);
    k.text = std::move(text);
    return k;
  };
  EXPECT_EQ(run(Key(K::kAll)), (std::vector<Uid>{1, 2, 3, 4}));
  EXPECT_EQ(run(Key(K::kFlagSet, kFlagSeen)), (std::vector<Uid>{2}));
  EXPECT_EQ(run(Key(K::kKeyword, 0, "", "$work")), (std::vector<Uid>{2}));
  EXPECT_EQ(run(Key(K::kNoKeyword, 0, "", "$unknown")).size(), 4u);
  EXPECT_EQ(run(Key(K::kHeader, 0, "subject", "HELLO")), (std::vector<Uid>{4}));
  EXPECT_EQ(run(Key(K::kHeader, 0, "x-folded", "first second")), (std::vector<Uid>{4}));
  EXPECT_EQ(run(Key(K::kBody, 0, "", "needle")), (std::vector<Uid>{4}));
  EXPECT_EQ(run(Key(K::kBody, 0, "", "hello")).size(), 0u);  // header only
  EXPECT_EQ(run(Key(K::kText, 0, "", "MESSAGE 3")), (std::vector<Uid>{3}));
  EXPECT_EQ(run(Key(K::kSentOn, 18689)), (std::vector<Uid>{4}));  // 2021-03-03
  EXPECT_EQ(run(Key(K::kSentBefore, 9000)), (std::vector<Uid>{1, 2, 3}));  // 1994
  EXPECT_EQ(run(Key(K::kBefore, 18519)), (std::vector<Uid>{4}));  // before 2020-09-14
  EXPECT_EQ(run(Key(K::kSmaller, 70)), (std::vector<Uid>{}));
  SearchKey uids = Key(K::kUids);
  uids.uids = Set({1, 3, 4});
  SearchKey not_seen = Key(K::kNot);
  not_seen.children.push_back(Key(K::kFlagSet, kFlagSeen));
  SearchKey both = Key(K::kAnd);
  both.children = {uids, not_seen};
  EXPECT_EQ(run(both), (std::vector<Uid>{1, 3, 4}));
  SearchKey uid1 = Key(K::kUids);
  uid1.uids = Set({1});
  SearchKey either = Key(K::kOr);
  either.children = {uid1, Key(K::kFlagSet, kFlagSeen)};
  EXPECT_EQ(run(either), (std::vector<Uid>{1, 2}));
  SearchKey bad = Key(K::kOr);
  EXPECT_FALSE(box->Search(SearchProgram{bad}).has_value());
}

TEST(MemSearchTest, WithinRecentAndModSeqKeys) {
  FakeClock clock;
  auto store = NewMemStore(clock);
  auto box = std::move(store->Open("INBOX", OpenMode::kReadWrite).value());
  AppendN(*box, 1);  // internal date = the fake "now"
  clock.Advance(std::chrono::seconds(100));
  AppendN(*box, 1);
  ASSERT_TRUE(box->Sync().has_value());  // claims \Recent for both
  auto changed = Store(*box, Set({1}), FlagOp::kAdd, kFlagSeen, {});
  ASSERT_TRUE(changed.has_value());
  auto run = [&](SearchKey::Kind kind, uint64_t number = 0) {
    SearchKey key;
    key.kind = kind;
    key.number = number;
    auto r = box->Search(SearchProgram{key});
    EXPECT_TRUE(r.has_value());
    return r.has_value() ? *r : std::vector<Uid>{};
  };
  using K = SearchKey::Kind;
  EXPECT_EQ(run(K::kOlder, 50), (std::vector<Uid>{1}));
  EXPECT_EQ(run(K::kYounger, 50), (std::vector<Uid>{2}));
  EXPECT_EQ(run(K::kRecent), (std::vector<Uid>{1, 2}));
  EXPECT_EQ(run(K::kNew), (std::vector<Uid>{2}));  // recent and unseen
  EXPECT_TRUE(run(K::kOld).empty());
  EXPECT_EQ(run(K::kModSeq, changed->highest_modseq), (std::vector<Uid>{1}));
  auto other = std::move(store->Open("INBOX", OpenMode::kReadWrite).value());
  SearchKey recent;
  recent.kind = K::kRecent;
  EXPECT_TRUE(other->Search(SearchProgram{recent})->empty());  // claimed by `box`
}

TEST(MemSearchTest, SentDayParsesRfc5322Dates) {
  EXPECT_EQ(mem::SentDay("Date: Thu, 1 Jan 1970 00:00:00 +0000\r\n\r\n"), 0);
  EXPECT_EQ(mem::SentDay("date:   2 jan 70 23:59 -1200\r\n\r\n"), 1);  // 2-digit year, time ignored
  EXPECT_EQ(mem::SentDay("Subject: x\r\nDate: 31 Dec 1999 10:00 +0100\r\n\r\n"), 10956);
  EXPECT_EQ(mem::SentDay("Date: 30 Feb 2020\r\n\r\n"), std::nullopt);
  EXPECT_EQ(mem::SentDay("Date: soon\r\n\r\n"), std::nullopt);
  EXPECT_EQ(mem::SentDay("Subject: no date\r\n\r\nDate: 1 Jan 2000\r\n"), std::nullopt);  // body is not a header
}

}  // namespace
}  // namespace roost::storage
