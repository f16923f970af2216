using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain.Decisions;

namespace Egov.Steering.Membership.UseCases;

/// <summary>
/// The dry run behind DecisionsService.ValidateDecision: the same engine that applies decisions, on a copy of the
/// register; nothing is written.
/// </summary>
public sealed class ChangePreviewUseCase(RegisterStore store)
{
    public Task<DecisionOutcome> PreviewAsync(DecisionToApply decision, CancellationToken cancellationToken) =>
        store.PreviewAsync(decision, cancellationToken);
}
