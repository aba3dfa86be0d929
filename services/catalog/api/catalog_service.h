// gRPC adapters of the catalog: each method hands its call to Catalog through
// the shared dispatcher (worker pool, authentication, logging).
#ifndef OSAN_SERVICES_CATALOG_API_CATALOG_SERVICE_H_
#define OSAN_SERVICES_CATALOG_API_CATALOG_SERVICE_H_

#include "common/server.h"
#include "common/service_runtime.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "services/catalog/api/catalog.h"

namespace osan::catalog {

// Every method needs a bearer token.
class CatalogService final : public v1::CatalogService::CallbackService {
 public:
  CatalogService(Catalog* catalog, server::Dispatcher* dispatcher)
      : catalog_(catalog), dispatcher_(dispatcher) {}

#define OSAN_CATALOG_METHOD(Method, Request, Response)                                             \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,                           \
                                   const v1::Request* request, v1::Response* response) override {  \
    return server::ServeUnary(*dispatcher_, context, "CatalogService." #Method,                    \
                              server::Access::kAuthenticated, catalog_, &Catalog::Method, request, \
                              response);                                                           \
  }
  OSAN_CATALOG_METHOD(CreateInstitution, CreateInstitutionRequest, Institution)
  OSAN_CATALOG_METHOD(GetInstitution, GetInstitutionRequest, Institution)
  OSAN_CATALOG_METHOD(ListInstitutions, ListInstitutionsRequest, ListInstitutionsResponse)
  OSAN_CATALOG_METHOD(UpdateInstitution, UpdateInstitutionRequest, Institution)
  OSAN_CATALOG_METHOD(CreateTerm, CreateTermRequest, Term)
  OSAN_CATALOG_METHOD(GetTerm, GetTermRequest, Term)
  OSAN_CATALOG_METHOD(ListTerms, ListTermsRequest, ListTermsResponse)
  OSAN_CATALOG_METHOD(UpdateTerm, UpdateTermRequest, Term)
  OSAN_CATALOG_METHOD(CreateCourse, CreateCourseRequest, Course)
  OSAN_CATALOG_METHOD(GetCourse, GetCourseRequest, Course)
  OSAN_CATALOG_METHOD(ListCourses, ListCoursesRequest, ListCoursesResponse)
  OSAN_CATALOG_METHOD(UpdateCourse, UpdateCourseRequest, Course)
  OSAN_CATALOG_METHOD(ReviewRecognition, ReviewRecognitionRequest, Course)
  OSAN_CATALOG_METHOD(CreateProgramme, CreateProgrammeRequest, Programme)
  OSAN_CATALOG_METHOD(GetProgramme, GetProgrammeRequest, Programme)
  OSAN_CATALOG_METHOD(ListProgrammes, ListProgrammesRequest, ListProgrammesResponse)
  OSAN_CATALOG_METHOD(UpdateProgramme, UpdateProgrammeRequest, Programme)
  OSAN_CATALOG_METHOD(CreateSection, CreateSectionRequest, Section)
  OSAN_CATALOG_METHOD(GetSection, GetSectionRequest, Section)
  OSAN_CATALOG_METHOD(GetSectionFacts, GetSectionRequest, SectionFacts)
  OSAN_CATALOG_METHOD(ListSections, ListSectionsRequest, ListSectionsResponse)
  OSAN_CATALOG_METHOD(UpdateSection, UpdateSectionRequest, Section)
  OSAN_CATALOG_METHOD(TransitionSection, TransitionSectionRequest, Section)
#undef OSAN_CATALOG_METHOD

 private:
  Catalog* const catalog_;
  server::Dispatcher* const dispatcher_;
};

// Needs no token: anyone may read the published joint courses. Answered
// from memory on gRPC's callback thread, except a call that must first read
// a new snapshot (after a write through this process), which goes to a
// worker. ListPublicSections sends the listing's shared serialized answer
// as it is (a raw method), never copying or serializing it per call.
class PublicListingService final
    : public v1::PublicListingService::WithRawCallbackMethod_ListPublicSections<
          v1::PublicListingService::CallbackService> {
 public:
  PublicListingService(PublicListing* listing, server::Dispatcher* dispatcher)
      : listing_(listing), dispatcher_(dispatcher) {}

  grpc::ServerUnaryReactor* ListPublicSections(grpc::CallbackServerContext* context,
                                               const grpc::ByteBuffer* request,
                                               grpc::ByteBuffer* response) override;

  grpc::ServerUnaryReactor* GetPublicSection(grpc::CallbackServerContext* context,
                                             const v1::GetPublicSectionRequest* request,
                                             v1::PublicSection* response) override {
    return server::ServeUnary(*dispatcher_, context, "PublicListingService.GetPublicSection",
                              server::Access::kPublic, listing_, &PublicListing::GetPublicSection,
                              request, response, WhereToRun());
  }

 private:
  server::Execution WhereToRun() const {
    return listing_->RefreshDue() ? server::Execution::kWorker : server::Execution::kInline;
  }

  PublicListing* const listing_;
  server::Dispatcher* const dispatcher_;
};

struct CatalogOptions {
  PublicListing::Options listing;
};

// The catalog service as the runtime starts it.
ServiceDefinition CatalogDefinition(CatalogOptions options = {});

}  // namespace osan::catalog

#endif  // OSAN_SERVICES_CATALOG_API_CATALOG_SERVICE_H_
