#include "auth/account_options.h"

#include <gtest/gtest.h>

namespace roost::auth {
namespace {

TEST(AccountOptionsTest, ParsesCourierCommaList) {
  AccountOptions o = AccountOptions::Parse("disableimap=1, DisablePOP3=0,group=staff,,group=admins,flag");
  EXPECT_TRUE(o.IsSet(kOptDisableImap));
  EXPECT_FALSE(o.IsSet(kOptDisablePop3));
  EXPECT_EQ(o.Get("disablepop3").value_or("?"), "0");
  EXPECT_EQ(o.GetAll(kOptGroup), (std::vector<std::string_view>{"staff", "admins"}));
  EXPECT_EQ(o.Get("flag").value_or("?"), "");
  EXPECT_FALSE(o.IsSet("flag"));
  EXPECT_FALSE(o.IsSet(kOptDisableShared));
  EXPECT_FALSE(o.Get("missing").has_value());
}

TEST(AccountOptionsTest, TruthValues) {
  AccountOptions o = AccountOptions::Parse("a=yes,b=Y,c=true,d=10,e=0,f=00,g=no,h=2x");
  for (const char* name : {"a", "b", "c", "d"}) EXPECT_TRUE(o.IsSet(name)) << name;
  for (const char* name : {"e", "f", "g", "h"}) EXPECT_FALSE(o.IsSet(name)) << name;
}

TEST(AccountOptionsTest, DefaultsApplyOnlyToNamesTheAccountDoesNotSet) {
  // spec §5.2: DEFAULTOPTIONS="disableimap=1" + per-account disableimap=0.
  AccountOptions defaults = AccountOptions::Parse("disableimap=1,disableshared=1,group=all,group=users");
  AccountOptions account = AccountOptions::Parse("disableimap=0,group=staff");
  account.MergeDefaults(defaults);
  EXPECT_FALSE(account.IsSet(kOptDisableImap));
  EXPECT_TRUE(account.IsSet(kOptDisableShared));
  EXPECT_EQ(account.GetAll(kOptGroup), (std::vector<std::string_view>{"staff"}));

  AccountOptions plain;
  plain.MergeDefaults(defaults);
  EXPECT_TRUE(plain.IsSet(kOptDisableImap));
  EXPECT_EQ(plain.GetAll(kOptGroup), (std::vector<std::string_view>{"all", "users"}));
}

TEST(AccountOptionsTest, ToStringIsCanonical) {
  EXPECT_EQ(AccountOptions::Parse("b=2,a=1").ToString(), "a=1,b=2");
  EXPECT_EQ(AccountOptions::Parse(AccountOptions::Parse("x=1,group=a,group=b").ToString()),
            AccountOptions::Parse("group=a,x=1,group=b"));
  EXPECT_TRUE(AccountOptions::Parse("").empty());
}

}  // namespace
}  // namespace roost::auth
