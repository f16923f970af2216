using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;

namespace Egov.Steering.Membership.UseCases;

/// <summary>What a decision would do, and its subject committees as the register holds them (those it holds).</summary>
public sealed record ChangePreview(DecisionOutcome Outcome, IReadOnlyList<Committee> SubjectCommittees);

/// <summary>
/// The dry run behind DecisionsService.ValidateDecision: the same engine that applies decisions, on a copy of the
/// register; nothing is written.
/// </summary>
public sealed class ChangePreviewUseCase(RegisterStore store)
{
    public async Task<ChangePreview> PreviewAsync(DecisionToApply decision, CancellationToken cancellationToken)
    {
        var (outcome, register) = await store.PreviewAsync(decision, cancellationToken);
        return new(outcome, [.. decision.SubjectCommitteeIds.Select(register.FindCommittee).OfType<Committee>()]);
    }
}
