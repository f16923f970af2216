using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Text;
using Egov.Steering.ServiceDefaults.Validation;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using T = Egov.Steering.Types.V1;
using V1 = Egov.Steering.Membership.V1;

namespace Egov.Steering.Membership.Grpc;

public sealed partial class MembershipGrpcService
{
    private const int MaxDescriptionLength = 4000;

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

        var (register, committee) = await LoadCommitteeAsync(id!, context.CancellationToken);
        return await CommitteeAsync(register, committee, date, context.CancellationToken);
    }

    public override async Task<V1.ListCommitteesResponse> ListCommittees(V1.ListCommitteesRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var pageSize = validator.PageSize(request.PageSize);
        var date = validator.AsOf(request.AsOf, Today);
        var levels = validator.Enums<T.CommitteeLevel, CommitteeLevel>("levels", request.Levels);
        var jurisdictions = request.Jurisdictions.Select((code, i) => validator.OrganisationCode($"jurisdictions[{i}]", code)).ToList();
        var states = validator.Enums<V1.CommitteeState, CommitteeState>("states", request.States);
        var statuses = validator.Enums<V1.ComplianceStatus, ComplianceStatus>("compliance_statuses", request.ComplianceStatuses);
        var words = Requests.SearchWords(validator.Text("query", request.Query, Requests.MaxQueryLength, required: false));
        validator.ThrowIfInvalid();

        var query = db.Committees.AsQueryable();
        if (levels.Count > 0)
        {
            query = query.Where(c => levels.Contains(c.Level));
        }

        if (jurisdictions.Count > 0)
        {
            query = query.Where(c => jurisdictions.Contains(c.Jurisdiction));
        }

        foreach (var word in words)
        {
            query = query.Where(c => EF.Property<string>(c, MembershipDbContext.SearchText).Contains(word));
        }

        var (register, ids) = await LoadCommitteesAsync(query, context.CancellationToken);
        var statusOf = await db.CommitteeCompliance.ToDictionaryAsync(c => c.CommitteeId, c => c.Status, context.CancellationToken);
        var wanted = states.Count > 0 ? states : [CommitteeState.Active];
        var matching = ids.Select(id => register.FindCommittee(id)!).Where(c => wanted.Contains(c.StateOn(date))
            && (statuses.Count == 0 || (statusOf.TryGetValue(c.Id, out var status) && statuses.Contains(status))));
        var (page, next) = Requests.Page(
            matching, c => [VietnameseText.SortKey(c.DisplayNameOn(date)), c.Id], request, request.PageToken, pageSize);

        var response = new V1.ListCommitteesResponse { NextPageToken = next };
        response.Committees.Add(page.Select(c => ContractMapper.Committee(
            register, register.AsOf(c, date), statusOf.TryGetValue(c.Id, out var status) ? status : null)));
        return response;
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<V1.Committee> CreateCommittee(V1.CreateCommitteeRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var requestedId = validator.NewId("committee_id", request.CommitteeId);
        var draft = ValidateNewCommittee(validator, request.Committee);
        validator.ThrowIfInvalid();
        caller.EnsureCanWrite(draft!.Jurisdiction);

        return await writes.ExecuteAsync(db, request.RequestId, context.Method, c => c.Name, request, async cancellationToken =>
        {
            var id = requestedId ?? await FreeCommitteeIdAsync(draft.Jurisdiction, cancellationToken);
            if (await db.Committees.AnyAsync(c => c.Id == id, cancellationToken))
            {
                throw new ResourceAlreadyExistsException(ResourceNames.Committee.Format(id));
            }

            if (draft.ParentId is { } parentId && !await db.Committees.AnyAsync(c => c.Id == parentId, cancellationToken))
            {
                throw new RequestValidationException("committee.parent", $"committees/{parentId} does not exist");
            }

            await EnsureJurisdictionFreeAsync(draft.Jurisdiction, draft.FoundingDate, cancellationToken);
            var committee = new Committee(
                id, draft.Level, draft.Jurisdiction, draft.ParentId, draft.DisplayName, draft.FoundingDate, null, draft.Mandate, draft.FocalAgency)
            {
                Description = draft.Description,
                Contact = draft.Contact,
            };
            committee.OtherSpellings.AddRange(draft.OtherSpellings);
            db.Committees.Add(committee);
            await SaveCreatedAsync(committee.ResourceName, token => db.Committees.AnyAsync(c => c.Id == id, token), cancellationToken);
            var register = new Register([committee]);
            Emit(register, committee, new CommitteeCreated(committee.Id, null, draft.FoundingDate ?? CivilDate.Of(Today)));
            await db.SaveChangesAsync(cancellationToken);
            return ContractMapper.Committee(register, register.AsOf(committee, Today), null);
        }, context.CancellationToken);
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<V1.Committee> UpdateCommittee(V1.UpdateCommitteeRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        validator.Required("committee", request.Committee);
        var input = request.Committee ?? new V1.Committee();
        var id = validator.Id("committee.name", input.Name, ResourceNames.Committee);
        var paths = validator.Mask(request.UpdateMask, ClericalCommitteeFields, path => DecidedCommitteeFields.TryGetValue(path, out var change)
            ? $"'{path}' changes only through a decision ({change} change), not by UpdateCommittee"
            : $"'{path}' cannot be changed; UpdateCommittee changes only {string.Join(", ", ClericalCommitteeFields)}");
        var description = validator.Text("committee.description", input.Description, MaxDescriptionLength, required: false, allowLineBreaks: true);
        var contact = ValidateContact(validator, input.Contact);
        var spellings = validator.Texts("committee.other_spellings", input.OtherSpellings, Requests.MaxNameLength);
        validator.ThrowIfInvalid();

        return await writes.ExecuteAsync(db, request.RequestId, context.Method, input.Name, request, async cancellationToken =>
        {
            var (register, committee) = await LoadCommitteeAsync(id!, cancellationToken);
            caller.EnsureCanWrite(committee.Jurisdiction);
            if (input.Etag.Length > 0 && input.Etag != ContractMapper.Etag(committee.Version))
            {
                throw new StaleEtagException(committee.ResourceName);
            }

            if (paths.Contains("description"))
            {
                committee.Description = description.Length == 0 ? null : description;
            }

            if (paths.Contains("contact"))
            {
                committee.Contact = contact;
            }

            if (paths.Contains("other_spellings"))
            {
                committee.OtherSpellings.Clear();
                committee.OtherSpellings.AddRange(spellings);
            }

            Emit(register, committee, new CommitteeClericalUpdated(committee.Id, [.. paths.Order(StringComparer.Ordinal)], CivilDate.Of(Today)));
            await db.SaveChangesAsync(cancellationToken);
            return await CommitteeAsync(register, committee, Today, cancellationToken);
        }, context.CancellationToken);
    }

    public override async Task<V1.GetCommitteeLineageResponse> GetCommitteeLineage(V1.GetCommitteeLineageRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = validator.Id("name", request.Name, ResourceNames.Committee);
        validator.ThrowIfInvalid();

        var links = await SuccessorLinksAsync(context.CancellationToken);
        if (!await db.Committees.AnyAsync(c => c.Id == id, context.CancellationToken))
        {
            throw new ResourceNotFoundException(ResourceNames.Committee.Format(id!));
        }

        // Every committee reachable through merges, backwards (predecessors) and forwards (successors).
        var reached = new HashSet<string>(StringComparer.Ordinal) { id! };
        var pending = new Queue<string>(reached);
        while (pending.TryDequeue(out var current))
        {
            foreach (var link in links.Where(l => l.Id == current || l.Successor == current))
            {
                foreach (var next in new[] { link.Id, link.Successor }.Where(reached.Add))
                {
                    pending.Enqueue(next);
                }
            }
        }

        var response = new V1.GetCommitteeLineageResponse();
        response.Links.Add(links.Where(l => reached.Contains(l.Id))
            .OrderBy(l => l.EndDate).ThenBy(l => l.Id, StringComparer.Ordinal)
            .Select(l => new V1.LineageLink
            {
                Predecessor = ResourceNames.Committee.Format(l.Id),
                Successor = ResourceNames.Committee.Format(l.Successor),
                EffectiveDate = ContractMapper.ToProto(l.EndDate),
                Decision = l.Decision is null ? "" : ResourceNames.Decision.Format(l.Decision),
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

    /// <summary>The merge links: each merged committee with its successor, the day of the merge and the decision.</summary>
    private async Task<List<SuccessorLink>> SuccessorLinksAsync(CancellationToken cancellationToken) =>
        await db.Committees.Where(c => c.SuccessorId != null)
            .Select(c => new SuccessorLink(c.Id, c.SuccessorId!, c.EndDate!.Value, c.EndingDecisionId))
            .ToListAsync(cancellationToken);

    /// <summary>An id derived from the jurisdiction ("province-2025-52"), with a suffix when it was ever taken.</summary>
    private async Task<string> FreeCommitteeIdAsync(string jurisdiction, CancellationToken cancellationToken)
    {
        var taken = await db.Committees.Where(c => c.Id == jurisdiction || c.Id.StartsWith(jurisdiction + "-")).Select(c => c.Id)
            .ToListAsync(cancellationToken);
        return Enumerable.Range(1, taken.Count + 1)
            .Select(n => n == 1 ? jurisdiction : $"{jurisdiction}-{n}")
            .First(candidate => !taken.Contains(candidate));
    }

    /// <summary>A jurisdiction has one committee at a time: none may be open on the new one's founding date.</summary>
    private async Task EnsureJurisdictionFreeAsync(string jurisdiction, CivilDate? founding, CancellationToken cancellationToken)
    {
        var existing = await db.Committees.Where(c => c.Jurisdiction == jurisdiction).ToListAsync(cancellationToken);
        var open = existing.FirstOrDefault(c => founding is { } date ? c.OpenOn(date.FirstDay) : c.EndDate is null);
        if (open is not null)
        {
            throw new PreconditionFailedException(
                "JURISDICTION_HAS_COMMITTEE",
                $"{jurisdiction} already has an open committee, {open.ResourceName}; a jurisdiction has one committee at a time",
                [new PreconditionViolation("COMMITTEE", open.ResourceName, "end it (merge or dissolve) by a decision first")]);
        }
    }

    private static NewCommittee? ValidateNewCommittee(RequestValidator validator, V1.Committee? committee)
    {
        if (!validator.Required("committee", committee))
        {
            return null;
        }

        var name = validator.Text("committee.display_name", committee!.DisplayName, Requests.MaxNameLength);
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
            var agencyName = validator.Text("committee.focal_agency.display_name", agency.DisplayName, Requests.MaxNameLength);
            var code = validator.OrganisationCode("committee.focal_agency.organisation", agency.Organisation, required: false);
            focal = new FocalAgency(agencyName, code.Length == 0 ? null : code);
        }

        var founding = validator.CivilDate("committee.founding_date", committee.FoundingDate);
        var description = validator.Text("committee.description", committee.Description, MaxDescriptionLength, required: false, allowLineBreaks: true);
        var spellings = validator.Texts("committee.other_spellings", committee.OtherSpellings, Requests.MaxNameLength);
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

    private sealed record SuccessorLink(string Id, string Successor, CivilDate EndDate, string? Decision);

    private sealed record NewCommittee(
        string DisplayName,
        CommitteeLevel Level,
        string Jurisdiction,
        string? ParentId,
        IReadOnlyCollection<MandateTopic> Mandate,
        FocalAgency? FocalAgency,
        CivilDate? FoundingDate,
        string? Description,
        IReadOnlyList<string> OtherSpellings,
        CommitteeContact Contact);
}
