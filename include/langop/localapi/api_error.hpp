// A Kubernetes API failure as the server reports it (PURE): HTTP code, Status
// reason, message and field causes. Rendered as a metav1.Status object.
#pragma once

#include "langop/core/json.hpp"

#include <optional>
#include <string>
#include <vector>

namespace langop::localapi {

// metav1.StatusCause: `type` is the cause reason (FieldValueRequired, FieldValueInvalid,
// FieldValueNotSupported, FieldValueTypeInvalid, FieldValueDuplicate, FieldValueForbidden,
// FieldValueTooLong, FieldValueTooMany, FieldValueNotFound, FieldManagerConflict, ...).
struct status_cause {
  std::string type;
  std::string message;
  std::string field;
};

struct api_error {
  int code = 500;           // HTTP status
  std::string reason;       // NotFound, AlreadyExists, Conflict, Invalid, BadRequest, Gone, Expired, ...
  std::string message;
  std::vector<status_cause> causes;
  // StatusDetails identity, filled when known.
  std::string name, group, kind;
  std::optional<int> retry_after_seconds;
};

// The metav1.Status object for `e` (apiVersion v1, kind Status, status Failure).
[[nodiscard]] json::object to_status(const api_error& e);

// Constructors for the common cases, with kube-apiserver's message wording.
// `resource` is "<plural>.<group>" (or "<plural>" for the core group), as the real server prints it.
[[nodiscard]] api_error not_found(std::string_view resource, std::string_view name);
[[nodiscard]] api_error already_exists(std::string_view resource, std::string_view name);
[[nodiscard]] api_error conflict(std::string_view resource, std::string_view name, std::string_view why);
[[nodiscard]] api_error bad_request(std::string message);
[[nodiscard]] api_error method_not_allowed(std::string message);
[[nodiscard]] api_error unsupported_media_type(std::string message);
[[nodiscard]] api_error gone(std::string message);        // 410, reason Gone
[[nodiscard]] api_error expired(std::string message);     // 410, reason Expired (watch/continue too old)
[[nodiscard]] api_error forbidden(std::string message);
[[nodiscard]] api_error unauthorized();
[[nodiscard]] api_error too_large(std::string message);
[[nodiscard]] api_error too_many_requests(int retry_after_seconds);
[[nodiscard]] api_error internal_error(std::string message);
// 422 Invalid: message "<Kind>.<group> \"<name>\" is invalid: <field>: <cause>, ...".
[[nodiscard]] api_error invalid(std::string_view kind, std::string_view group, std::string_view name,
                                std::vector<status_cause> causes);

}  // namespace langop::localapi
