#include "server/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include <fmt/format.h>

#include "base/log.h"

namespace roost::server {
namespace {

struct Identity {
  uid_t uid;
  gid_t gid;
};

Result<Identity> LookUp(const std::string& user, const std::string& group) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  int err = getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found);
  if (found == nullptr) {
    return err != 0 ? Status::FromErrno(err, fmt::format("getpwnam({})", user))
                    : Status::NotFound(fmt::format("server.user: no such user '{}'", user));
  }
  Identity id{pw.pw_uid, pw.pw_gid};
  if (group.empty()) return id;
  struct group gr{};
  struct group* found_group = nullptr;
  err = getgrnam_r(group.c_str(), &gr, buf.data(), buf.size(), &found_group);
  if (found_group == nullptr) {
    return err != 0 ? Status::FromErrno(err, fmt::format("getgrnam({})", group))
                    : Status::NotFound(fmt::format("server.group: no such group '{}'", group));
  }
  id.gid = gr.gr_gid;
  return id;
}

}  // namespace

Status DropPrivileges(const std::string& user, const std::string& group) {
  if (user.empty()) {
    if (geteuid() == 0) ROOST_LOG_WARN("running as root: set server.user to drop privileges");
    return Status::Ok();
  }
  ROOST_ASSIGN_OR_RETURN(Identity id, LookUp(user, group));
  if (geteuid() != 0) {
    if (geteuid() == id.uid && getegid() == id.gid) return Status::Ok();
    return Status::PermissionDenied(
        fmt::format("cannot switch to user '{}': not running as root (uid {})", user, geteuid()));
  }
  if (setgroups(1, &id.gid) != 0) return Status::FromErrno(errno, "setgroups()");
  if (setgid(id.gid) != 0) return Status::FromErrno(errno, fmt::format("setgid({})", id.gid));
  if (setuid(id.uid) != 0) return Status::FromErrno(errno, fmt::format("setuid({})", id.uid));
  // Paranoia: if root can be regained, the drop did not happen.
  if (id.uid != 0 && (setuid(0) == 0 || geteuid() == 0)) {
    return Status::PermissionDenied("privileges could be regained after setuid(); refusing to run");
  }
  ROOST_LOG_INFO("dropped privileges to user {} (uid {}, gid {})", user, id.uid, id.gid);
  return Status::Ok();
}

Result<unsigned long> RaiseFdLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return Status::FromErrno(errno, "getrlimit(RLIMIT_NOFILE)");
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) != 0) return Status::FromErrno(errno, "setrlimit(RLIMIT_NOFILE)");
    limit = raised;
  }
  return static_cast<unsigned long>(limit.rlim_cur);
}

}  // namespace roost::server
