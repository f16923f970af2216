using Egov.Steering.Decisions.Domain;
using Egov.Steering.Decisions.Mapping;
using Egov.Steering.Decisions.UseCases;
using Egov.Steering.Membership.V1;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.Types.V1;
using Grpc.Core;
using Microsoft.Extensions.Options;
using CommitteeLevel = Egov.Steering.Decisions.Domain.CommitteeLevel;

namespace Egov.Steering.Decisions.Grpc;

/// <summary>
/// <see cref="IMembershipChecks"/> over gRPC (PreviewChanges and GetCommittee). When Membership cannot answer, the
/// caller gets UNAVAILABLE: a decision is never validated or issued without Membership's checks.
/// </summary>
internal sealed class MembershipChecks(MembershipService.MembershipServiceClient client, IOptions<DecisionsOptions> options)
    : IMembershipChecks
{
    public async Task<MembershipVerdict> CheckAsync(Domain.Decision decision, CancellationToken cancellationToken)
    {
        // The dry run also answers the route's committee; only without one (nothing to preview, or a Membership older
        // than that answer) is the committee asked for on its own.
        var preview = await PreviewAsync(decision, cancellationToken);
        var problems = (preview?.Problems ?? []).Select(problem => problem.ToDomain()).ToList();
        var unknownReported = problems.Any(problem => problem is { Field: "subject_committees[0]", Reason: "UNKNOWN_COMMITTEE" });
        var route = unknownReported ? null : await RouteAsync(decision, preview, cancellationToken);

        // Membership, when asked, has already reported an unknown first subject committee.
        if (route is null && !unknownReported)
        {
            problems.Add(new Problem(
                "subject_committees[0]",
                "UNKNOWN_COMMITTEE",
                $"{decision.SubjectCommittees[0]} is not registered and no change of this decision establishes it"));
        }

        return new MembershipVerdict(problems, route);
    }

    // Without an effective date Membership cannot place the changes in time; DecisionRules reports that date.
    private async Task<PreviewChangesResponse?> PreviewAsync(Domain.Decision decision, CancellationToken cancellationToken)
    {
        if (decision.EffectiveDate is null || decision.Changes.Count == 0)
        {
            return null;
        }

        var request = new PreviewChangesRequest
        {
            Decision = decision.Name,
            EffectiveDate = decision.EffectiveDate.ToMessage(),
            OwnerOrganisation = decision.OwnerOrganisation,
        };
        request.Changes.Add(decision.Changes.Select(change => change.ToMessage()));
        request.SubjectCommittees.Add(decision.SubjectCommittees);
        return await CallAsync(call => client.PreviewChangesAsync(request, call), cancellationToken);
    }

    // The first subject committee, from the change that establishes it or else as Membership holds it (from the dry run,
    // else asked for); a decision without subject committee is routed by its owner organisation.
    private async Task<EventRoute?> RouteAsync(Domain.Decision decision, PreviewChangesResponse? preview, CancellationToken cancellationToken)
    {
        if (decision.SubjectCommittees.FirstOrDefault() is not { } committee)
        {
            return new EventRoute(string.Empty, LevelOf(decision.OwnerOrganisation), decision.OwnerOrganisation);
        }

        var established = decision.Changes
            .Select(change => change.ToMessage())
            .Where(change => change.KindCase == Change.KindOneofCase.EstablishCommittee)
            .Select(change => change.EstablishCommittee)
            .FirstOrDefault(establish => $"committees/{establish.CommitteeId}" == committee);
        if (established is not null)
        {
            return new EventRoute(committee, established.Level.ToDomain(), established.Jurisdiction);
        }

        if (preview?.SubjectCommittees.FirstOrDefault(subject => subject.Name == committee) is { } previewed)
        {
            return new EventRoute(committee, previewed.Level.ToDomain(), previewed.Jurisdiction);
        }

        try
        {
            var found = await CallAsync(call => client.GetCommitteeAsync(new GetCommitteeRequest { Name = committee }, call), cancellationToken);
            return new EventRoute(committee, found.Level.ToDomain(), found.Jurisdiction);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    private static CommitteeLevel LevelOf(string organisation) => Organisations.Describe(organisation)?.Kind switch
    {
        OrganisationKind.National => CommitteeLevel.National,
        OrganisationKind.Ministry => CommitteeLevel.Ministry,
        OrganisationKind.Province => CommitteeLevel.Province,
        _ => CommitteeLevel.Unknown,
    };

    private async Task<TResponse> CallAsync<TResponse>(Func<CallOptions, AsyncUnaryCall<TResponse>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(new CallOptions(deadline: DateTime.UtcNow + options.Value.MembershipTimeout, cancellationToken: cancellationToken));
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal
                                         or StatusCode.Unknown or StatusCode.ResourceExhausted)
        {
            throw new MembershipUnavailableException(e.Status.Detail);
        }
    }
}

/// <summary>UNAVAILABLE: Membership could not be asked; retry later (with the same request_id for writes).</summary>
public sealed class MembershipUnavailableException(string detail)
    : ApiException(StatusCode.Unavailable, "MEMBERSHIP_UNAVAILABLE", $"the Membership service cannot be reached ({detail}); nothing was validated or issued, retry later");
