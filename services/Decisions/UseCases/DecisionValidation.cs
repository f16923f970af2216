using Egov.Steering.Decisions.Data;
using Egov.Steering.Decisions.Domain;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Decisions.UseCases;

/// <summary>Every problem with a decision at once: this service's rules, then Membership's dry run of its changes.</summary>
internal sealed class DecisionValidation(DecisionsDbContext db, IMembershipChecks membership)
{
    public async Task<MembershipVerdict> ValidateAsync(Decision decision, CancellationToken cancellationToken)
    {
        // Membership is asked while this service's own query runs: the two do not depend on each other.
        var membershipVerdict = membership.CheckAsync(decision, cancellationToken);
        var numberUsedBy = NumberUsedByAsync(decision, cancellationToken);
        await Task.WhenAll(membershipVerdict, numberUsedBy);
        var own = DecisionRules.Check(decision, await numberUsedBy);
        var verdict = await membershipVerdict;
        return verdict with { Problems = [.. own, .. verdict.Problems] };
    }

    // A draft claims no number yet, and a rejected decision was never applied: neither blocks recording it again.
    private Task<string?> NumberUsedByAsync(Decision decision, CancellationToken cancellationToken) =>
        decision.Number.Length == 0
            ? Task.FromResult<string?>(null)
            : db.Decisions
                .Where(other => other.Id != decision.Id
                    && other.IssuerOrganisation == decision.IssuerOrganisation
                    && other.NumberFolded == decision.NumberFolded
                    && other.State != DecisionState.Draft
                    && other.State != DecisionState.Rejected)
                .Select(other => Decision.Collection + "/" + other.Id)
                .FirstOrDefaultAsync(cancellationToken);
}
