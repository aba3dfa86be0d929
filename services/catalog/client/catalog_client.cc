#include "services/catalog/client/catalog_client.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/names.h"
#include "common/server.h"
#include "common/status.h"
#include "services/catalog/domain/registry.h"

namespace osan::catalog {

CatalogClient::CatalogClient(std::shared_ptr<grpc::Channel> channel, auth::TokenSigner signer,
                             std::string service_name, absl::Duration ttl, absl::Duration timeout,
                             absl::Duration negative_ttl, absl::Duration stale_for)
    : stub_(catalog::v1::CatalogService::NewStub(channel)),
      token_(std::move(signer), std::move(service_name)),
      timeout_(timeout),
      stale_for_(stale_for),
      sections_(ttl, negative_ttl),
      institutions_(ttl, negative_ttl) {}

template <class Request, class Response>
absl::Status CatalogClient::Call(grpc::Status (catalog::v1::CatalogService::Stub::*method)(
                                     grpc::ClientContext*, const Request&, Response*),
                                 const Request& request, Response* response, absl::Time deadline) {
  grpc::ClientContext context;
  const absl::Time now = absl::Now();
  context.AddMetadata("authorization", absl::StrCat("Bearer ", token_.Current(now)));
  server::AddOnBehalfOf(context);
  context.set_deadline(absl::ToChronoTime(std::min(deadline, now + timeout_)));
  const grpc::Status status = (stub_.get()->*method)(&context, request, response);
  if (status.ok()) {
    return absl::OkStatus();
  }
  switch (status.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return absl::NotFoundError(status.error_message());
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      // The caller's own rate at the catalog (server::kOnBehalfOfMetadata).
      return absl::ResourceExhaustedError(absl::StrCat("catalog: ", status.error_message()));
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::UNAVAILABLE:
      return absl::UnavailableError("the catalog service is unavailable; retry later");
    default:
      return absl::InternalError(absl::StrCat("catalog call failed: ", status.error_message()));
  }
}

absl::Status CatalogClient::Admit(const auth::Principal& principal, absl::Time deadline) {
  return AdmitPrincipal(
      principal, [&] { return GetInstitution(InstitutionName(principal.institution), deadline); });
}

absl::StatusOr<catalog::v1::Institution> CatalogClient::GetInstitution(const std::string& name,
                                                                       absl::Time deadline) {
  return institutions_.Get(
      name,
      [&]() -> absl::StatusOr<catalog::v1::Institution> {
        catalog::v1::GetInstitutionRequest request;
        request.set_name(name);
        catalog::v1::Institution institution;
        OSAN_RETURN_IF_ERROR(Call(&catalog::v1::CatalogService::Stub::GetInstitution, request,
                                  &institution, deadline));
        return institution;
      },
      stale_for_);
}

absl::StatusOr<SectionFacts> CatalogClient::GetSection(const std::string& name, absl::Time deadline,
                                                       Freshness freshness) {
  const absl::Time now = absl::Now();
  if (freshness == Freshness::kCachedOk) {
    if (auto cached = sections_.Find(name, now)) {
      return *std::move(cached);
    }
  }
  absl::StatusOr<SectionFacts> answer = FetchSection(name, deadline);
  sections_.Store(name, answer, now);
  return answer;
}

absl::StatusOr<SectionFacts> CatalogClient::FetchSection(const std::string& name,
                                                         absl::Time deadline) {
  catalog::v1::GetSectionRequest request;
  request.set_name(name);
  catalog::v1::SectionFacts reply;
  OSAN_RETURN_IF_ERROR(
      Call(&catalog::v1::CatalogService::Stub::GetSectionFacts, request, &reply, deadline));
  SectionFacts facts;
  facts.section = std::move(*reply.mutable_section());
  facts.course = std::move(*reply.mutable_course());
  facts.term = std::move(*reply.mutable_term());
  return facts;
}

absl::StatusOr<catalog::v1::Programme> CatalogClient::GetProgramme(const std::string& name,
                                                                   absl::Time deadline) {
  catalog::v1::GetProgrammeRequest request;
  request.set_name(name);
  catalog::v1::Programme programme;
  OSAN_RETURN_IF_ERROR(
      Call(&catalog::v1::CatalogService::Stub::GetProgramme, request, &programme, deadline));
  return programme;
}

absl::StatusOr<std::vector<catalog::v1::Section>> CatalogClient::TermSections(
    const std::string& term, catalog::v1::ListSectionsRequest request, absl::Time deadline) {
  catalog::v1::GetTermRequest term_request;
  term_request.set_name(term);
  catalog::v1::Term term_facts;
  OSAN_RETURN_IF_ERROR(
      Call(&catalog::v1::CatalogService::Stub::GetTerm, term_request, &term_facts, deadline));
  std::vector<catalog::v1::Section> sections;
  request.set_parent(term);
  request.set_page_size(200);
  request.clear_page_token();
  do {
    catalog::v1::ListSectionsResponse page;
    OSAN_RETURN_IF_ERROR(
        Call(&catalog::v1::CatalogService::Stub::ListSections, request, &page, deadline));
    sections.insert(sections.end(), page.sections().begin(), page.sections().end());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return sections;
}

}  // namespace osan::catalog
