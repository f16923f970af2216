using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.Membership.UseCases;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using T = Egov.Steering.Types.V1;
using V1 = Egov.Steering.Membership.V1;

namespace Egov.Steering.Membership.Grpc;

public sealed partial class MembershipGrpcService
{

    /// <summary>The clerical fields UpdateCommittee may change; the rest change through decisions (the change named).</summary>
    private static readonly string[] ClericalCommitteeFields = ["description", "contact", "other_spellings"];

    private static readonly Dictionary<string, string> DecidedCommitteeFields = new(StringComparer.Ordinal)
    {
        ["display_name"] = "RenameCommittee",
        ["mandate_topics"] = "SetMandate",
        ["focal_agency"] = "SetFocalAgency",
    };

    public override async Task<V1.Committee> GetCommittee(V1.GetCommitteeRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = validator.Id("name", request.Name, ResourceNames.Committee);
        var date = validator.AsOf(request.AsOf, Today);
        validator.ThrowIfInvalid();

        return ToProto(await useCases.Committees.GetAsync(id!, date, context.CancellationToken));
    }

    public override async Task<V1.ListCommitteesResponse> ListCommittees(V1.ListCommitteesRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var pageSize = validator.PageSize(request.PageSize);
        var date = validator.AsOf(request.AsOf, Today);
        var filter = new CommitteeFilter(
            validator.Enums<T.CommitteeLevel, CommitteeLevel>("levels", request.Levels),
            [.. request.Jurisdictions.Select((code, i) => validator.OrganisationCode($"jurisdictions[{i}]", code))],
            validator.Enums<V1.CommitteeState, CommitteeState>("states", request.States),
            validator.Enums<V1.ComplianceStatus, ComplianceStatus>("compliance_statuses", request.ComplianceStatuses),
            Requests.SearchWords(validator.Text("query", request.Query, Requests.MaxQueryLength, required: false)));
        validator.ThrowIfInvalid();

        var found = await useCases.Committees.ListAsync(filter, date, context.CancellationToken);
        var (page, next) = Requests.Page(
            found.Committees, c => [VietnameseText.SortKey(c.DisplayNameOn(date)), c.Id], request, request.PageToken, pageSize);

        var response = new V1.ListCommitteesResponse { NextPageToken = next };
        response.Committees.Add(page.Select(c => ContractMapper.Committee(
            found.Register, found.Register.AsOf(c, date), found.Compliance.TryGetValue(c.Id, out var status) ? status : null)));
        return response;
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<V1.Committee> CreateCommittee(V1.CreateCommitteeRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var requestedId = validator.NewId("committee_id", request.CommitteeId);
        var draft = ValidateNewCommittee(validator, request.Committee);
        validator.ThrowIfInvalid();

        return await WriteAsync(request, request.RequestId, context, c => c.Name, async cancellationToken =>
            ToProto(await useCases.Committees.CreateAsync(requestedId, draft!, cancellationToken)));
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<V1.Committee> UpdateCommittee(V1.UpdateCommitteeRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var (input, id, paths) = validator.UpdateTarget(
            "committee", request.Committee, c => c.Name, ResourceNames.Committee, request.UpdateMask, ClericalCommitteeFields,
            path => DecidedCommitteeFields.TryGetValue(path, out var change)
                ? $"'{path}' changes only through a decision ({change} change), not by UpdateCommittee"
                : $"'{path}' cannot be changed; UpdateCommittee changes only {string.Join(", ", ClericalCommitteeFields)}");
        var description = validator.Text("committee.description", input.Description, TextLimits.Description, required: false, allowLineBreaks: true);
        var contact = ValidateContact(validator, input.Contact);
        var spellings = validator.Texts("committee.other_spellings", input.OtherSpellings, TextLimits.Name);
        validator.ThrowIfInvalid();

        var update = new Update<CommitteeClericalFields>(input.Etag, paths, new(NullIfEmpty(description), contact, spellings));
        return await WriteAsync(request, request.RequestId, context, input.Name, async cancellationToken =>
            ToProto(await useCases.Committees.UpdateAsync(id!, update, cancellationToken)));
    }

    public override async Task<V1.GetCommitteeLineageResponse> GetCommitteeLineage(V1.GetCommitteeLineageRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = validator.Id("name", request.Name, ResourceNames.Committee);
        validator.ThrowIfInvalid();

        var response = new V1.GetCommitteeLineageResponse();
        response.Links.Add((await useCases.Committees.LineageAsync(id!, context.CancellationToken)).Select(l => new V1.LineageLink
        {
            Predecessor = ResourceNames.Committee.Format(l.Predecessor),
            Successor = ResourceNames.Committee.Format(l.Successor),
            EffectiveDate = ContractMapper.ToProto(l.EffectiveDate),
            Decision = l.DecisionId is null ? "" : ResourceNames.Decision.Format(l.DecisionId),
        }));
        return response;
    }

    // gRPC calls are answered by CachedViewMethods, ahead of these (which serve the same views as messages).
    public override Task<V1.CommitteeView> GetCommitteeView(V1.GetCommitteeViewRequest request, ServerCallContext context)
    {
        var (committee, date) = CachedViewMethods.Read(request, Today);
        return views.GetCommitteeViewAsync(committee, date, context.CancellationToken);
    }

    public override Task<V1.NationalOverview> GetNationalOverview(V1.GetNationalOverviewRequest request, ServerCallContext context) =>
        views.GetNationalOverviewAsync(CachedViewMethods.Read(request, Today), context.CancellationToken);

    private static V1.Committee ToProto(CommitteeOnDate committee) =>
        ContractMapper.Committee(committee.Register, committee.AsOf, committee.Compliance);

    private static NewCommittee? ValidateNewCommittee(RequestValidator validator, V1.Committee? committee)
    {
        if (!validator.Required("committee", committee))
        {
            return null;
        }

        var name = validator.Text("committee.display_name", committee!.DisplayName, TextLimits.Name);
        var level = (CommitteeLevel)(int)validator.Enum("committee.level", committee.Level);
        var jurisdiction = validator.OrganisationCode("committee.jurisdiction", committee.Jurisdiction);
        if (Organisations.Describe(jurisdiction) is { } organisation && validator.IsValid)
        {
            var expected = Jurisdictions.LevelOf(organisation);
            if (expected != level)
            {
                validator.Add("committee.level", $"{jurisdiction} is an organisation of level {expected}, not {level}");
            }
        }

        var parent = validator.Id("committee.parent", committee.Parent, ResourceNames.Committee, required: false);
        var mandate = validator.Enums<T.MandateTopic, MandateTopic>("committee.mandate_topics", committee.MandateTopics);
        FocalAgency? focal = null;
        if (committee.FocalAgency is { } agency)
        {
            var agencyName = validator.Text("committee.focal_agency.display_name", agency.DisplayName, TextLimits.Name);
            var code = validator.OrganisationCode("committee.focal_agency.organisation", agency.Organisation, required: false);
            focal = new FocalAgency(agencyName, code.Length == 0 ? null : code);
        }

        var founding = validator.CivilDate("committee.founding_date", committee.FoundingDate);
        var description = validator.Text("committee.description", committee.Description, TextLimits.Description, required: false, allowLineBreaks: true);
        var spellings = validator.Texts("committee.other_spellings", committee.OtherSpellings, TextLimits.Name);
        var contact = ValidateContact(validator, committee.Contact);
        return new NewCommittee(
            name, level, jurisdiction, parent, mandate, focal, founding, description.Length == 0 ? null : description, spellings, contact);
    }

    private static CommitteeContact ValidateContact(RequestValidator validator, V1.CommitteeContact? contact)
    {
        if (contact is null)
        {
            return new CommitteeContact();
        }

        var website = validator.Text("committee.contact.website", contact.Website, 2048, required: false);
        if (website.Length > 0 && !(Uri.TryCreate(website, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            validator.Add("committee.contact.website", "must be an absolute https:// address");
        }

        return new CommitteeContact
        {
            Address = NullIfEmpty(validator.Text("committee.contact.address", contact.Address, 500, required: false)),
            Phone = NullIfEmpty(validator.Text("committee.contact.phone", contact.Phone, 50, required: false)),
            Email = NullIfEmpty(Email(validator, "committee.contact.email", contact.Email)),
            Website = NullIfEmpty(website),
        };
    }

    private static string Email(RequestValidator validator, string field, string email)
    {
        var text = validator.Text(field, email, 320, required: false);
        if (text.Length > 0 && (text.IndexOf('@', StringComparison.Ordinal) is <= 0 || text.EndsWith('@') || text.Contains(' ', StringComparison.Ordinal)))
        {
            validator.Add(field, "must be an e-mail address such as van-phong@gialai.gov.vn");
        }

        return text;
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
