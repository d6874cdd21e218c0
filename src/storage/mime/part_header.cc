#include "storage/mime/part_header.h"

#include "storage/mime/address.h"
#include "storage/mime/charset.h"
#include "storage/mime/header.h"
#include "storage/mime/params.h"

namespace roost::storage::mime {
namespace {

// Content-Language tags kept per part; real headers carry one or two.
constexpr size_t kMaxLanguages = 64;

void SetOnce(std::optional<std::string>* slot, std::string_view raw) {
  if (!slot->has_value()) *slot = UnfoldValue(raw);
}

void SetAddresses(AddressList* list, bool* seen, std::string_view raw, const MimeLimits& limits,
                  uint64_t* work) {
  if (*seen) return;
  *seen = true;
  uint64_t steps = 0;
  *list = ParseAddressList(UnfoldValue(raw), limits.max_addresses, &steps);
  *work += steps;
}

std::vector<std::string> ParseLanguages(std::string_view raw) {
  std::vector<std::string> tags;
  std::string v = UnfoldValue(raw);
  size_t i = 0;
  while (i < v.size() && tags.size() < kMaxLanguages) {
    size_t end = v.find(',', i);
    if (end == std::string::npos) end = v.size();
    std::string_view tag = std::string_view(v).substr(i, end - i);
    size_t b = tag.find_first_not_of(" \t");
    size_t e = tag.find_last_not_of(" \t");
    if (b != std::string_view::npos) tags.emplace_back(tag.substr(b, e - b + 1));
    i = end + 1;
  }
  return tags;
}

struct Seen {
  bool type = false, disposition = false, language = false;
  bool from = false, sender = false, reply_to = false, to = false, cc = false, bcc = false;
};

bool ApplyContentField(const HeaderField& f, std::string_view name, const MimeLimits& limits, Part* part,
                       Seen* seen, uint64_t* work) {
  if (name == "content-type") {
    if (seen->type) return true;
    seen->type = true;
    ContentType ct = ParseContentType(UnfoldValue(f.value), limits, work);
    if (ct.valid()) {
      part->type = std::move(ct.type);
      part->subtype = std::move(ct.subtype);
      part->params = std::move(ct.params);
      part->has_content_type = true;
    }
  } else if (name == "content-transfer-encoding") {
    if (!part->transfer_encoding) part->transfer_encoding = AsciiLowercase(UnfoldValue(f.value));
  } else if (name == "content-id") {
    SetOnce(&part->content_id, f.value);
  } else if (name == "content-description") {
    SetOnce(&part->description, f.value);
  } else if (name == "content-md5") {
    SetOnce(&part->md5, f.value);
  } else if (name == "content-location") {
    SetOnce(&part->location, f.value);
  } else if (name == "content-disposition") {
    if (seen->disposition) return true;
    seen->disposition = true;
    ContentDisposition cd = ParseContentDisposition(UnfoldValue(f.value), limits, work);
    if (!cd.value.empty()) {
      part->disposition = std::move(cd.value);
      part->disposition_params = std::move(cd.params);
    }
  } else if (name == "content-language") {
    if (!seen->language) part->languages = ParseLanguages(f.value);
    seen->language = true;
  } else {
    return false;
  }
  return true;
}

void ApplyEnvelopeField(const HeaderField& f, std::string_view name, const MimeLimits& limits, Envelope* env,
                        Seen* seen, uint64_t* work) {
  if (name == "date")
    SetOnce(&env->date, f.value);
  else if (name == "subject")
    SetOnce(&env->subject, f.value);
  else if (name == "message-id")
    SetOnce(&env->message_id, f.value);
  else if (name == "in-reply-to")
    SetOnce(&env->in_reply_to, f.value);
  else if (name == "from")
    SetAddresses(&env->from, &seen->from, f.value, limits, work);
  else if (name == "sender")
    SetAddresses(&env->sender, &seen->sender, f.value, limits, work);
  else if (name == "reply-to")
    SetAddresses(&env->reply_to, &seen->reply_to, f.value, limits, work);
  else if (name == "to")
    SetAddresses(&env->to, &seen->to, f.value, limits, work);
  else if (name == "cc")
    SetAddresses(&env->cc, &seen->cc, f.value, limits, work);
  else if (name == "bcc")
    SetAddresses(&env->bcc, &seen->bcc, f.value, limits, work);
}

void ApplyDefaults(bool in_digest, Part* part) {
  if (part->has_content_type) return;
  part->params = ParamList();
  if (in_digest) {
    part->type = "message";
    part->subtype = "rfc822";
    return;
  }
  part->type = "text";
  part->subtype = "plain";
  part->params.params.push_back(Param{"charset", "us-ascii", "", "", false});
}

}  // namespace

void ApplyHeaderBlock(std::string_view block, const MimeLimits& limits, bool in_digest, Part* part,
                      Envelope* envelope, uint64_t* work) {
  Seen seen;
  HeaderFieldIterator it(block);
  HeaderField f;
  *work += block.size();
  while (it.Next(&f)) {
    // Field names longer than any we look for are not lowercased at all.
    if (f.name.size() > 32) continue;
    std::string name = AsciiLowercase(f.name);
    *work += f.raw.size();
    if (ApplyContentField(f, name, limits, part, &seen, work)) continue;
    if (envelope) ApplyEnvelopeField(f, name, limits, envelope, &seen, work);
  }
  ApplyDefaults(in_digest, part);
}

Envelope ParseEnvelope(std::string_view block, const MimeLimits& limits) {
  Part scratch;
  Envelope env;
  uint64_t work = 0;
  ApplyHeaderBlock(block, limits, false, &scratch, &env, &work);
  return env;
}

}  // namespace roost::storage::mime
