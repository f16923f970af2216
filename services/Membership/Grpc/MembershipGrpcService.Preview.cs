using Egov.Steering.Membership.Mapping;
using Egov.Steering.ServiceDefaults.Tls;
using Egov.Steering.ServiceDefaults.Validation;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using V1 = Egov.Steering.Membership.V1;

namespace Egov.Steering.Membership.Grpc;

public sealed partial class MembershipGrpcService
{
    /// <summary>The most changes one decision may carry: a full roster of a large committee with room to spare.</summary>
    private const int MaxChanges = 1000;

    /// <summary>
    /// The dry run behind DecisionsService.ValidateDecision: the same engine that applies decisions, on a copy of the
    /// register; nothing is written. It also names the subject committees' level and jurisdiction, which Decisions
    /// routes the decision's events by. Problems of the changes (their form included) are the answer; only a malformed
    /// request is INVALID_ARGUMENT. Service-only: with mutual TLS, only a trusted service (Decisions) calls it.
    /// </summary>
    [Authorize(Policy = ServiceIdentity.Policy)]
    public override async Task<V1.PreviewChangesResponse> PreviewChanges(V1.PreviewChangesRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        validator.Id("decision", request.Decision, ResourceNames.Decision, required: false);
        if (validator.Required("effective_date", request.EffectiveDate))
        {
            validator.CivilDate("effective_date", request.EffectiveDate);
        }

        validator.OrganisationCode("owner_organisation", request.OwnerOrganisation);
        if (request.Changes.Count > MaxChanges)
        {
            validator.Add("changes", $"must hold at most {MaxChanges} changes (has {request.Changes.Count})");
        }

        validator.ThrowIfInvalid();

        var response = new V1.PreviewChangesResponse();
        var (decision, problems) = ChangeMapper.FromPreview(request);
        if (decision is null)
        {
            response.Problems.Add(ChangeMapper.ToProto(problems));
            return response;
        }

        var (outcome, subjects) = await useCases.Preview.PreviewAsync(decision, context.CancellationToken);
        response.Problems.Add(ChangeMapper.ToProto(outcome.Problems));
        response.AffectedCommittees.Add(outcome.AffectedCommitteeIds.Select(id => ResourceNames.Committee.Format(id)));
        response.SubjectCommittees.Add(subjects.Select(committee => new V1.PreviewChangesResponse.Types.SubjectCommittee
        {
            Name = ResourceNames.Committee.Format(committee.Id),
            Level = (Types.V1.CommitteeLevel)(int)committee.Level,
            Jurisdiction = committee.Jurisdiction,
        }));
        return response;
    }
}
