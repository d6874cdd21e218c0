#include "storage/maildir/maildir_filename.h"

#include <gtest/gtest.h>

namespace roost::storage::maildir {
namespace {

TEST(MaildirFilename, ParsesNewName) {
  auto p = ParseMaildirFilename("1700000000.M1P2V803I2a_1.host,S=2048");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->base, "1700000000.M1P2V803I2a_1.host,S=2048");
  EXPECT_FALSE(p->has_info);
  EXPECT_FALSE(p->has_flags_info);
  EXPECT_TRUE(p->flags.empty());
  EXPECT_EQ(p->size, 2048u);
  EXPECT_FALSE(p->vsize.has_value());
}

TEST(MaildirFilename, ParsesCurNameWithFlagsAndDovecotSizes) {
  auto p = ParseMaildirFilename("1606213500.M2P2.host,S=2000,W=2040:2,FSab");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->base, "1606213500.M2P2.host,S=2000,W=2040");
  EXPECT_TRUE(p->has_flags_info);
  EXPECT_EQ(p->flags, Flags::kFlagged | Flags::kSeen);
  EXPECT_EQ(p->unknown_flags, "ab");
  EXPECT_EQ(p->size, 2000u);
  EXPECT_EQ(p->vsize, 2040u);
}

TEST(MaildirFilename, FlagLetterAnywhereAfterInfoCounts) {
  auto p = ParseMaildirFilename("x:2,ZTxDS");
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(p->flags.Has(Flags::kDeleted));
  EXPECT_TRUE(p->flags.Has(Flags::kDraft));
  EXPECT_TRUE(p->flags.Has(Flags::kSeen));
  EXPECT_FALSE(p->flags.Has(Flags::kAnswered));
  EXPECT_EQ(p->unknown_flags, "Zx");
}

TEST(MaildirFilename, CourierTrashTestCase) {
  // Courier's test: "003:2,ATDB" moved to Trash with T and D cleared.
  auto p = ParseMaildirFilename("003:2,ATDB");
  ASSERT_TRUE(p.has_value());
  Flags f = p->flags;
  f.Clear(Flags::kDeleted).Clear(Flags::kDraft);
  EXPECT_EQ(FormatCurName(p->base, f, p->unknown_flags), "003:2,AB");
}

TEST(MaildirFilename, FormatOrdersKnownFlagsThenUnknown) {
  Flags all = Flags(Flags::kAllBits);
  EXPECT_EQ(FormatCurName("b", all, ""), "b:2,DFRST");
  EXPECT_EQ(FormatCurName("b", Flags(), ""), "b:2,");
  EXPECT_EQ(FormatCurName("b", Flags::kSeen | Flags::kAnswered, "baS"), "b:2,RSba");
  EXPECT_EQ(FormatFlagLetters(Flags(Flags::kFlagged), "aa"), "Fa");
}

TEST(MaildirFilename, DovecotExtraFieldsPreserved) {
  auto p = ParseMaildirFilename("m:2,TSa,Xfoo,T");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->flags, Flags::kDeleted | Flags::kSeen);
  EXPECT_EQ(p->unknown_flags, "a");
  EXPECT_EQ(p->info_extra, ",Xfoo,T");
  Flags f = p->flags;
  f.Clear(Flags::kDeleted);
  EXPECT_EQ(FormatCurName(p->base, f, p->unknown_flags, p->info_extra), "m:2,Sa,Xfoo,T");
}

TEST(MaildirFilename, NonStandardInfoHasNoFlags) {
  auto p = ParseMaildirFilename("msg:1,S");
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(p->has_info);
  EXPECT_FALSE(p->has_flags_info);
  EXPECT_TRUE(p->flags.empty());
  EXPECT_EQ(p->base, "msg");
}

TEST(MaildirFilename, RejectsImpossibleNames) {
  EXPECT_FALSE(ParseMaildirFilename("").has_value());
  EXPECT_FALSE(ParseMaildirFilename(".hidden").has_value());
  EXPECT_FALSE(ParseMaildirFilename("a/b").has_value());
  EXPECT_FALSE(ParseMaildirFilename(std::string("a\0b", 3)).has_value());
  EXPECT_FALSE(ParseMaildirFilename(std::string(256, 'x')).has_value());
  EXPECT_TRUE(ParseMaildirFilename(std::string(255, 'x')).has_value());
}

TEST(MaildirFilename, SizeHintSearchedBackwards) {
  EXPECT_EQ(FindSizeHint("a,S=1.b,S=22", 'S'), 22u);
  EXPECT_EQ(FindSizeHint("a,S=12,W=14", 'S'), 12u);
  EXPECT_EQ(FindSizeHint("a,S=12,W=14", 'W'), 14u);
  EXPECT_FALSE(FindSizeHint("a,S=", 'S').has_value());
  EXPECT_FALSE(FindSizeHint("a,S=12x", 'S').has_value());
  EXPECT_FALSE(FindSizeHint("a,S=99999999999999999999999", 'S').has_value());
  EXPECT_FALSE(FindSizeHint("plain", 'S').has_value());
}

TEST(MaildirFilename, HostnameSanitised) {
  EXPECT_EQ(SanitizeHostname("mail.example.com"), "mail.example.com");
  EXPECT_EQ(SanitizeHostname("a/b:c"), "a\\057b\\072c");
  EXPECT_EQ(SanitizeHostname("a,b\\c\n"), "a\\054b\\134c\\012");
}

TEST(MaildirFilename, GeneratesTmpAndFinalNames) {
  UniqueNameParts p{.sec = 1700000000, .usec = 123456, .pid = 4242, .uniq = "7",
                    .host = "mx:1", .size = 2048};
  EXPECT_EQ(FormatTmpName(p), "1700000000.M123456P4242_7.mx\\0721,S=2048");
  EXPECT_EQ(FormatFinalName(p, 0x803, 0xa1b2c),
            "1700000000.M123456P4242V803Ia1b2c_7.mx\\0721,S=2048");
  p.uniq = "";
  p.size.reset();
  EXPECT_EQ(FormatTmpName(p), "1700000000.M123456P4242.mx\\0721");
  // A generated name parses back with its size.
  p.size = 10;
  auto parsed = ParseMaildirFilename(FormatFinalName(p, 1, 2));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->size, 10u);
  EXPECT_FALSE(parsed->has_info);
}

TEST(MaildirFilename, RoundTripsParsedCurNames) {
  for (const char* name : {"a:2,", "a:2,S", "a,S=5:2,DFRST", "a:2,Sab", "a:2,FSz", "a:2,S,x"}) {
    auto p = ParseMaildirFilename(name);
    ASSERT_TRUE(p.has_value()) << name;
    EXPECT_EQ(FormatCurName(p->base, p->flags, p->unknown_flags, p->info_extra), name);
  }
}

TEST(Flags, MatchesStorageSystemFlagBits) {
  EXPECT_EQ(Flags(kFlagSeen | kFlagDeleted), Flags::kSeen | Flags::kDeleted);
  EXPECT_EQ((~Flags(Flags::kSeen)).bits(), Flags::kAllBits & ~Flags::kSeen);
  static_assert(std::is_nothrow_move_constructible_v<Flags>);
}

}  // namespace
}  // namespace roost::storage::maildir
