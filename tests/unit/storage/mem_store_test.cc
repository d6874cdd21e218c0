#include "storage/mem/mem_store.h"

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "storage/mailbox.h"
#include "storage/transaction.h"

namespace roost::storage {
namespace {

NumberSet Set(std::vector<uint32_t> values) {
  NumberSet s;
  for (auto v : values) s.Add(v, v);
  return s;
}

std::string Msg(int i) {
  return "From: a@example.org\nSubject: message " + std::to_string(i) + "\nDate: Mon, 7 Feb 1994 21:52:25 -0800\n\nbody " +
         std::to_string(i) + "\n";
}

class MemStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Mailbox> Open(std::string_view name, OpenMode mode = OpenMode::kReadWrite) {
    auto box = store_->Open(name, mode);
    EXPECT_TRUE(box.has_value()) << box.error().ToString();
    return box.has_value() ? std::move(*box) : nullptr;
  }

  CommitInfo AppendN(Mailbox& box, int n, uint8_t flags = 0) {
    auto tx = box.Begin();
    for (int i = 1; i <= n; ++i) {
      AppendMessage m;
      m.data = Msg(i);
      m.system_flags = flags;
      EXPECT_TRUE(tx->Append(std::move(m)).ok());
    }
    auto info = tx->Commit();
    EXPECT_TRUE(info.has_value()) << info.error().ToString();
    return info.has_value() ? *info : CommitInfo{};
  }

  Result<CommitInfo> Store(Mailbox& box, const NumberSet& uids, FlagOp op, uint8_t system,
                           std::vector<std::string> keywords = {}, std::optional<ModSeq> unchanged_since = {}) {
    auto tx = box.Begin();
    FlagUpdate u{op, system, std::move(keywords), unchanged_since};
    ROOST_RETURN_IF_ERROR(tx->UpdateFlags(uids, u));
    return tx->Commit();
  }

  Result<CommitInfo> ExpungeUids(Mailbox& box, const NumberSet& uids) {
    auto tx = box.Begin();
    ROOST_RETURN_IF_ERROR(tx->Expunge(uids));
    return tx->Commit();
  }

  MessageMeta MetaOf(Mailbox& box, SeqNum seq) {
    auto cursor = box.Fetch(Set({seq}), kFetchFlags | kFetchModSeq);
    MessageMeta meta;
    EXPECT_TRUE(cursor.has_value());
    auto next = (*cursor)->Next(meta);
    EXPECT_TRUE(next.has_value() && *next);
    return meta;
  }

  std::shared_ptr<MemStore> store_ = NewMemStore();
};

TEST_F(MemStoreTest, InboxAlwaysExistsAndCannotBeDeleted) {
  auto list = store_->List();
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "INBOX");
  Status st = store_->Delete("inbox");
  EXPECT_EQ(st.mail_error(), MailError::kNotPossible);
  EXPECT_EQ(store_->Create("Inbox").mail_error(), MailError::kExists);
  EXPECT_NE(Open("iNbOx"), nullptr);
}

TEST_F(MemStoreTest, HierarchyImpliesNoselectParents) {
  ASSERT_TRUE(store_->Create("a.b.c").ok());
  ASSERT_TRUE(store_->Create("x.").ok());  // trailing separator is dropped
  ASSERT_TRUE(store_->SetSubscribed("a.b.c", true).ok());
  EXPECT_EQ(store_->Create("bad..name").mail_error(), MailError::kParams);
  auto list = store_->List();
  ASSERT_TRUE(list.has_value());
  std::vector<std::string> names;
  for (auto& info : *list) names.push_back(info.name);
  EXPECT_EQ(names, (std::vector<std::string>{"INBOX", "a", "a.b", "a.b.c", "x"}));
  EXPECT_FALSE((*list)[1].selectable);
  EXPECT_TRUE((*list)[1].has_children);
  EXPECT_TRUE((*list)[3].selectable);
  EXPECT_FALSE((*list)[3].has_children);
  EXPECT_TRUE((*list)[3].subscribed);
  auto filtered = store_->List([](std::string_view n) { return n.starts_with("a.b"); });
  ASSERT_TRUE(filtered.has_value());
  EXPECT_EQ(filtered->size(), 2u);
  EXPECT_EQ(store_->Open("a.b", OpenMode::kReadOnly).error().mail_error(), MailError::kNotFound);
}

TEST_F(MemStoreTest, DeleteKeepsChildrenAndRenameMovesThem) {
  ASSERT_TRUE(store_->Create("p").ok());
  ASSERT_TRUE(store_->Create("p.q").ok());
  ASSERT_TRUE(store_->Rename("p", "r").ok());
  auto counters = store_->Counters("r.q");
  EXPECT_TRUE(counters.has_value());
  EXPECT_EQ(store_->Counters("p.q").error().mail_error(), MailError::kNotFound);
  EXPECT_EQ(store_->Rename("r", "r.sub").mail_error(), MailError::kNotPossible);
  ASSERT_TRUE(store_->Delete("r").ok());
  auto list = store_->List();
  ASSERT_EQ(list->size(), 3u);  // INBOX, r (\Noselect), r.q
  EXPECT_FALSE((*list)[1].selectable);
  EXPECT_EQ(store_->Delete("r").mail_error(), MailError::kNotFound);
}

TEST_F(MemStoreTest, AppendUidAndCrlfBytes) {
  auto box = Open("INBOX");
  CommitInfo info = AppendN(*box, 2, kFlagSeen);
  EXPECT_EQ(info.appended.ToString(), "1:2");
  EXPECT_EQ(info.uid_validity, box->counters().uid_validity);
  EXPECT_EQ(box->count(), 0u);  // not before Sync
  auto sync = box->Sync();
  ASSERT_TRUE(sync.has_value());
  EXPECT_EQ(sync->exists, 2u);
  EXPECT_EQ(box->UidAt(2), 2u);
  auto stream = box->OpenMessage(1);
  ASSERT_TRUE(stream.has_value());
  std::string expected = Msg(1);
  std::string crlf;
  for (char c : expected) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  ASSERT_EQ((*stream)->size(), crlf.size());
  std::string got((*stream)->size(), '\0');
  auto n = (*stream)->Read(0, std::span<char>(got.data(), got.size()));
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(got, crlf);
  EXPECT_EQ(MetaOf(*box, 1).size, crlf.size());
  EXPECT_EQ(box->counters().size, 2 * crlf.size());  // "message 1" and "message 2": same length
}

TEST_F(MemStoreTest, ExpungeInOneViewIsReportedInTheOtherInOrder) {
  auto a = Open("INBOX");
  auto b = Open("INBOX");
  AppendN(*a, 6);
  ASSERT_TRUE(a->Sync().has_value());
  ASSERT_TRUE(b->Sync().has_value());
  ASSERT_EQ(b->count(), 6u);
  ASSERT_TRUE(ExpungeUids(*a, Set({2, 3, 5})).has_value());
  EXPECT_EQ(b->count(), 6u);  // nothing moves before Sync
  EXPECT_EQ(b->UidAt(5), 5u);
  auto sync = b->Sync();
  ASSERT_TRUE(sync.has_value());
  EXPECT_EQ(sync->expunged, (std::vector<SeqNum>{2, 2, 3}));
  EXPECT_EQ(sync->vanished.ToString(), "2:3,5");
  EXPECT_EQ(sync->exists, 3u);
  EXPECT_EQ(b->UidAt(3), 6u);
  EXPECT_EQ(b->SeqOf(4), 2u);
  EXPECT_EQ(b->SeqOf(5), 0u);
  // The expunging view learns of its own expunges the same way.
  auto own = a->Sync();
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(own->expunged, (std::vector<SeqNum>{2, 2, 3}));
}

TEST_F(MemStoreTest, FlagChangeIsReportedToOtherViewsOnly) {
  auto a = Open("INBOX");
  auto b = Open("INBOX");
  AppendN(*a, 3);
  ASSERT_TRUE(a->Sync().has_value());
  ASSERT_TRUE(b->Sync().has_value());
  auto info = Store(*a, Set({2}), FlagOp::kAdd, kFlagFlagged, {"$Label1"});
  ASSERT_TRUE(info.has_value());
  auto sync_b = b->Sync();
  ASSERT_TRUE(sync_b.has_value());
  EXPECT_EQ(sync_b->flag_changes, (std::vector<SeqNum>{2}));
  EXPECT_TRUE(sync_b->expunged.empty());
  EXPECT_EQ(b->keywords(), (std::vector<std::string>{"$Label1"}));
  MessageMeta meta = MetaOf(*b, 2);
  EXPECT_EQ(meta.flags.system, kFlagFlagged);
  EXPECT_EQ(meta.flags.keywords, 1u);
  EXPECT_EQ(meta.modseq, info->highest_modseq);
  auto sync_a = a->Sync();
  ASSERT_TRUE(sync_a.has_value());
  EXPECT_TRUE(sync_a->flag_changes.empty());  // a's own STORE already answered it
  // Setting what is already set changes nothing and bumps no modseq.
  auto again = Store(*a, Set({2}), FlagOp::kAdd, kFlagFlagged);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->highest_modseq, info->highest_modseq);
}

TEST_F(MemStoreTest, ChangesSinceIncludesExpungesAboveHighestLiveUid) {
  auto box = Open("INBOX");
  CommitInfo appended = AppendN(*box, 5);
  ModSeq base = appended.highest_modseq;
  ASSERT_TRUE(Store(*box, Set({2}), FlagOp::kAdd, kFlagSeen).has_value());
  ASSERT_TRUE(ExpungeUids(*box, Set({4, 5})).has_value());
  auto changes = box->Changes(base);
  ASSERT_TRUE(changes.has_value());
  EXPECT_EQ(changes->changed, (std::vector<Uid>{2}));
  EXPECT_EQ(changes->vanished.ToString(), "4:5");  // 5 was the highest UID
  auto all = box->Changes(0);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->changed.size(), 3u);
  ASSERT_TRUE(box->Sync().has_value());
  auto none = box->Changes(box->counters().highest_modseq);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->changed.empty());
  EXPECT_TRUE(none->vanished.empty());
}

TEST_F(MemStoreTest, CopyUidAndMove) {
  ASSERT_TRUE(store_->Create("Archive").ok());
  auto box = Open("INBOX");
  AppendN(*box, 4);
  ASSERT_TRUE(box->Sync().has_value());
  ASSERT_TRUE(Store(*box, Set({3}), FlagOp::kAdd, 0, {"$Important"}).has_value());
  {
    auto tx = box->Begin();
    ASSERT_TRUE(tx->Copy(Set({1, 3}), "Archive", false).ok());
    auto info = tx->Commit();
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->copied_from.ToString(), "1,3");
    EXPECT_EQ(info->copied_to.ToString(), "1:2");
    EXPECT_EQ(info->dest_uid_validity, store_->Counters("Archive")->uid_validity);
  }
  {
    auto tx = box->Begin();
    ASSERT_TRUE(tx->Copy(Set({2, 4}), "Archive", /*move=*/true).ok());
    auto info = tx->Commit();
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->copied_from.ToString(), "2,4");
    EXPECT_EQ(info->copied_to.ToString(), "3:4");
  }
  EXPECT_EQ(store_->Counters("INBOX")->messages, 2u);
  EXPECT_EQ(store_->Counters("Archive")->messages, 4u);
  auto sync = box->Sync();
  ASSERT_TRUE(sync.has_value());
  EXPECT_EQ(sync->vanished.ToString(), "2,4");
  auto archive = Open("Archive", OpenMode::kReadOnly);
  EXPECT_EQ(archive->keywords(), (std::vector<std::string>{"$Important"}));
  EXPECT_EQ(MetaOf(*archive, 2).flags.keywords, 1u);  // copy of UID 3 kept its keyword
  EXPECT_TRUE(MetaOf(*archive, 2).recent);
  auto tx = box->Begin();
  ASSERT_TRUE(tx->Copy(Set({1}), "Nope", false).ok());
  EXPECT_EQ(tx->Commit().error().mail_error(), MailError::kNotFound);
}

TEST_F(MemStoreTest, UnchangedSinceReportsModifiedMessages) {
  auto box = Open("INBOX");
  CommitInfo appended = AppendN(*box, 3);
  ModSeq before = appended.highest_modseq;
  ASSERT_TRUE(Store(*box, Set({2}), FlagOp::kAdd, kFlagAnswered).has_value());
  auto info = Store(*box, Set({1, 2, 3}), FlagOp::kAdd, kFlagSeen, {}, before);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->not_modified.ToString(), "2");
  ASSERT_TRUE(box->Sync().has_value());
  EXPECT_EQ(MetaOf(*box, 1).flags.system, kFlagSeen);
  EXPECT_EQ(MetaOf(*box, 2).flags.system, kFlagAnswered);
  EXPECT_EQ(MetaOf(*box, 3).modseq, info->highest_modseq);
}

TEST_F(MemStoreTest, KeywordLimitIsEnforcedAtomically) {
  auto box = Open("INBOX");
  AppendN(*box, 2);
  std::vector<std::string> many;
  for (unsigned i = 0; i < kMaxKeywords; ++i) many.push_back("kw" + std::to_string(i));
  ASSERT_TRUE(Store(*box, Set({1}), FlagOp::kAdd, 0, many).has_value());
  ASSERT_TRUE(box->Sync().has_value());
  EXPECT_FALSE(box->CanCreateKeywords());
  EXPECT_TRUE(Store(*box, Set({2}), FlagOp::kAdd, 0, {"KW7"}).has_value());  // existing, any case
  // One transaction: a valid flag change plus a 65th keyword: all or nothing.
  auto tx = box->Begin();
  ASSERT_TRUE(tx->UpdateFlags(Set({1}), FlagUpdate{FlagOp::kAdd, kFlagSeen, {}, {}}).ok());
  ASSERT_TRUE(tx->UpdateFlags(Set({2}), FlagUpdate{FlagOp::kAdd, 0, {"one-too-many"}, {}}).ok());
  auto result = tx->Commit();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().mail_error(), MailError::kLimit);
  ASSERT_TRUE(box->Sync().has_value());
  EXPECT_EQ(MetaOf(*box, 1).flags.system, 0u);
  EXPECT_EQ(box->keywords().size(), kMaxKeywords);
}

TEST_F(MemStoreTest, RenameInboxMovesMessagesAndLeavesItEmpty) {
  auto inbox = Open("INBOX");
  AppendN(*inbox, 3);
  ASSERT_TRUE(inbox->Sync().has_value());
  ASSERT_TRUE(store_->Create("INBOX.child").ok());
  ASSERT_TRUE(store_->Rename("INBOX", "Old").ok());
  EXPECT_EQ(store_->Counters("Old")->messages, 3u);
  EXPECT_EQ(store_->Counters("INBOX")->messages, 0u);
  EXPECT_TRUE(store_->Counters("INBOX.child").has_value());  // children stay
  auto sync = inbox->Sync();
  ASSERT_TRUE(sync.has_value());
  EXPECT_EQ(sync->expunged, (std::vector<SeqNum>{1, 1, 1}));
  auto old = Open("Old");
  EXPECT_EQ(old->count(), 3u);
  AppendN(*inbox, 1);  // INBOX works on
  EXPECT_EQ(store_->Counters("INBOX")->messages, 1u);
}

TEST_F(MemStoreTest, ChangeFeedCalledAfterCommitNotAfterUnsubscribe) {
  auto a = Open("INBOX");
  auto b = Open("INBOX");
  std::atomic<int> calls{0};
  uint32_t seen_messages = 0;
  auto sub = b->Watch([&] {
    ++calls;
    // Called after the commit is visible: a Counters() peek sees it.
    seen_messages = store_->Counters("INBOX")->messages;
  });
  AppendN(*a, 2);
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(seen_messages, 2u);
  auto tx = a->Begin();  // an empty commit changes nothing and wakes nobody
  ASSERT_TRUE(tx->Commit().has_value());
  EXPECT_EQ(calls.load(), 1);
  sub.reset();
  AppendN(*a, 1);
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(MemStoreTest, RecentBelongsToTheFirstReadWriteView) {
  {
    auto writer = Open("INBOX");
    AppendN(*writer, 2);
  }
  auto peek = Open("INBOX", OpenMode::kReadOnly);
  EXPECT_EQ(peek->counters().recent, 2u);
  auto first = Open("INBOX");
  auto second = Open("INBOX");
  EXPECT_EQ(first->counters().recent, 2u);
  EXPECT_EQ(second->counters().recent, 0u);
  EXPECT_TRUE(MetaOf(*first, 1).recent);
  EXPECT_FALSE(MetaOf(*second, 1).recent);
  EXPECT_EQ(store_->Counters("INBOX")->recent, 2u);
  first.reset();  // the session ends: \Recent is gone for everyone
  EXPECT_EQ(store_->Counters("INBOX")->recent, 0u);
}

TEST_F(MemStoreTest, ReadOnlyViewRefusesChangesButAllowsCopy) {
  ASSERT_TRUE(store_->Create("Other").ok());
  AppendN(*Open("INBOX"), 1);
  auto ro = Open("INBOX", OpenMode::kReadOnly);
  auto tx = ro->Begin();
  EXPECT_EQ(tx->UpdateFlags(Set({1}), FlagUpdate{}).mail_error(), MailError::kNotPossible);
  EXPECT_EQ(tx->Expunge(Set({1})).mail_error(), MailError::kNotPossible);
  EXPECT_EQ(tx->Copy(Set({1}), "Other", true).mail_error(), MailError::kNotPossible);
  ASSERT_TRUE(tx->Copy(Set({1}), "Other", false).ok());
  ASSERT_TRUE(tx->Commit().has_value());
  EXPECT_EQ(store_->Counters("Other")->messages, 1u);
}

TEST_F(MemStoreTest, DeletedFolderEndsTheView) {
  ASSERT_TRUE(store_->Create("Gone").ok());
  auto box = Open("Gone");
  ASSERT_TRUE(store_->Delete("Gone").ok());
  auto sync = box->Sync();
  ASSERT_TRUE(sync.has_value());
  EXPECT_TRUE(sync->uid_validity_changed);
  ASSERT_TRUE(store_->Create("Gone").ok());
  EXPECT_NE(store_->Counters("Gone")->uid_validity, box->counters().uid_validity);
}

TEST_F(MemStoreTest, ListenerMayUnsubscribeItselfFromTheCallback) {
  auto box = Open("INBOX");
  int calls = 0;
  std::unique_ptr<Subscription> sub;
  sub = box->Watch([&] {
    ++calls;
    sub.reset();
  });
  AppendN(*box, 1);
  AppendN(*box, 1);
  EXPECT_EQ(calls, 1);
}

TEST_F(MemStoreTest, FetchSkipsMessagesExpungedByOthersBeforeSync) {
  auto a = Open("INBOX");
  auto b = Open("INBOX");
  AppendN(*a, 3);
  ASSERT_TRUE(b->Sync().has_value());
  ASSERT_TRUE(ExpungeUids(*a, Set({2})).has_value());
  auto cursor = b->Fetch(NumberSet({{1, 3}}), kFetchFlags);
  ASSERT_TRUE(cursor.has_value());
  std::vector<Uid> uids;
  MessageMeta meta;
  while (*(*cursor)->Next(meta)) uids.push_back(meta.uid);
  EXPECT_EQ(uids, (std::vector<Uid>{1, 3}));
  EXPECT_EQ(b->OpenMessage(2).error().mail_error(), MailError::kExpunged);
  EXPECT_EQ(b->OpenMessage(9).error().mail_error(), MailError::kNotFound);
}

TEST_F(MemStoreTest, ConcurrentCommitsFromTwoViewsGetDistinctUids) {
  constexpr int kPerThread = 200;
  std::atomic<int> notifications{0};
  auto watcher = Open("INBOX", OpenMode::kReadOnly);
  auto sub = watcher->Watch([&] { ++notifications; });
  std::vector<std::vector<Uid>> got(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      auto box = store_->Open("INBOX", OpenMode::kReadWrite);
      ASSERT_TRUE(box.has_value());
      for (int i = 0; i < kPerThread; ++i) {
        auto tx = (*box)->Begin();
        ASSERT_TRUE(tx->Append(AppendMessage{Msg(i), 0, {}, {}, 0}).ok());
        auto info = tx->Commit();
        ASSERT_TRUE(info.has_value());
        got[t].push_back(info->appended.ranges()[0].first);
        ASSERT_TRUE((*box)->Sync().has_value());
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<Uid> all(got[0].begin(), got[0].end());
  all.insert(got[1].begin(), got[1].end());
  EXPECT_EQ(all.size(), 2u * kPerThread);
  EXPECT_EQ(notifications.load(), 2 * kPerThread);
  auto sync = watcher->Sync();
  ASSERT_TRUE(sync.has_value());
  EXPECT_EQ(sync->exists, 2u * kPerThread);
}

}  // namespace
}  // namespace roost::storage
