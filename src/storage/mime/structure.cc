#include "storage/mime/structure.h"

#include <string>

#include "storage/mime/charset.h"

namespace roost::storage::mime {
namespace {

void AppendSpan(std::string_view label, const Span& s, std::string* out) {
  out->append(label);
  out->append("=").append(std::to_string(s.offset)).append("+").append(std::to_string(s.size));
  out->append("/").append(std::to_string(s.crlf_offset)).append("+");
  out->append(std::to_string(s.crlf_size));
}

void AppendParams(std::string_view label, const ParamList& pl, std::string* out) {
  if (pl.params.empty()) return;
  out->append(" ").append(label).append("(");
  for (size_t i = 0; i < pl.params.size(); ++i) {
    if (i) out->append(" ");
    out->append(pl.params[i].name).append("=").append(pl.params[i].value);
  }
  out->append(pl.truncated ? " ...)" : ")");
}

void AppendAddresses(std::string_view label, const AddressList& l, std::string* out) {
  if (l.addresses.empty()) return;
  out->append(" ").append(label).append("=[");
  for (const Address& a : l.addresses) {
    switch (a.kind) {
      case Address::Kind::kGroupStart:
        out->append(a.mailbox).append(":");
        break;
      case Address::Kind::kGroupEnd:
        out->append(";");
        break;
      case Address::Kind::kMailbox:
        out->append("\"").append(a.name).append("\"<").append(a.mailbox).append("@");
        out->append(a.host).append(">");
        break;
    }
  }
  out->append(l.truncated ? "...]" : "]");
}

void AppendPart(const Part& p, int indent, std::string* out) {
  out->append(static_cast<size_t>(indent) * 2, ' ');
  out->append(p.type).append("/").append(p.subtype);
  if (p.opaque) out->append(" opaque(").append(p.declared_type).append(")");
  AppendParams("params", p.params, out);
  if (p.transfer_encoding) out->append(" cte=").append(*p.transfer_encoding);
  if (p.disposition) {
    out->append(" disp=").append(*p.disposition);
    AppendParams("dparams", p.disposition_params, out);
  }
  out->append(" ");
  AppendSpan("h", p.header, out);
  out->append(" ");
  AppendSpan("b", p.body, out);
  out->append(" lines=").append(std::to_string(p.body_lines));
  if (p.header_truncated) out->append(" header-truncated");
  if (p.envelope) {
    const Envelope& e = *p.envelope;
    if (e.subject) out->append(" subject=").append(*e.subject);
    AppendAddresses("from", e.from, out);
    AppendAddresses("to", e.to, out);
  }
  out->append("\n");
  for (const auto& c : p.children) AppendPart(*c, indent + 1, out);
  if (p.message) AppendPart(*p.message, indent + 1, out);
}

}  // namespace

const Param* ParamList::Find(std::string_view name) const {
  for (const Param& p : params) {
    if (AsciiEqualsIgnoreCase(p.name, name)) return &p;
  }
  return nullptr;
}

std::string DebugString(const MessageStructure& m) {
  std::string out = "size=" + std::to_string(m.size) + " crlf=" + std::to_string(m.crlf_size) +
                    " lines=" + std::to_string(m.lines) + " parts=" + std::to_string(m.part_count);
  if (m.depth_capped) out += " depth-capped";
  if (m.parts_capped) out += " parts-capped";
  out += "\n";
  if (m.root) AppendPart(*m.root, 0, &out);
  return out;
}

}  // namespace roost::storage::mime
