using Egov.Steering.Decisions.Domain;
using Egov.Steering.Decisions.Mapping;
using Egov.Steering.Decisions.Tests.Support;
using Egov.Steering.Decisions.UseCases;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Decisions.Tests.UseCases;

/// <summary>Issuing and revoking without gRPC: validated first (Membership stubbed), then issued at the version validated.</summary>
public sealed class DecisionIssuingTests : IDisposable
{
    private readonly UseCaseWorld world = new();

    [Fact]
    public async Task An_issue_freezes_the_validated_draft_routes_it_and_emits_DecisionIssued()
    {
        await world.Drafts().CreateAsync("qd-337", UseCaseWorld.GiaLaiConsolidation(), CancellationToken.None);
        var issuing = world.Issuing();

        var validated = await issuing.ValidateIssueAsync("qd-337", EntityTag.Of(1), CancellationToken.None);
        var issued = await issuing.IssueAsync("qd-337", validated, CancellationToken.None);

        Assert.Equal(1, world.Membership.Calls);
        Assert.Equal((DecisionState.Issued, Drafts.GiaLaiCommittee, CommitteeLevel.Province), (issued.State, issued.EventCommittee, issued.EventCommitteeLevel));
        await using var db = world.Context();
        Assert.Equal(1, await db.Set<OutboxMessage>().CountAsync());
    }

    [Fact]
    public async Task Every_problem_refuses_the_issue_and_nothing_is_issued()
    {
        await world.Drafts().CreateAsync("qd-337", UseCaseWorld.GiaLaiConsolidation() with { Signer = null }, CancellationToken.None);
        world.Membership.Problems.Add(new Problem("changes[0].appoint.entry", "SECOND_CHAIR", "the committee has a chair already"));

        var refused = await Assert.ThrowsAsync<DecisionRuleException>(
            () => world.Issuing().ValidateIssueAsync("qd-337", null, CancellationToken.None));

        Assert.Equal("DECISION_HAS_PROBLEMS", refused.Reason);
        Assert.Equal(
            [new RuleViolation("MISSING_SIGNER", "signer", "the signer (name and title) is required"),
             new RuleViolation("SECOND_CHAIR", "changes[0].appoint.entry", "the committee has a chair already")],
            refused.Violations);
        Assert.Equal(DecisionState.Draft, (await world.Queries().GetAsync("qd-337", CancellationToken.None)).State);
    }

    [Fact]
    public async Task An_edit_made_while_the_draft_was_validated_aborts_the_issue()
    {
        await world.Drafts().CreateAsync("qd-337", UseCaseWorld.GiaLaiConsolidation(), CancellationToken.None);
        var validated = await world.Issuing().ValidateIssueAsync("qd-337", null, CancellationToken.None);

        await world.Drafts().RedraftAsync("qd-337", null, draft => draft with { Summary = "sửa trong lúc kiểm tra" }, CancellationToken.None);

        await Assert.ThrowsAsync<StaleEtagException>(() => world.Issuing().IssueAsync("qd-337", validated, CancellationToken.None));
    }

    [Fact]
    public async Task A_revocation_is_issued_for_an_issued_decision_only_and_once()
    {
        await world.Drafts().CreateAsync("qd-337", UseCaseWorld.GiaLaiConsolidation(), CancellationToken.None);
        var revocation = new Revocation("qd-337", "qd-999", UseCaseWorld.GiaLaiConsolidation("999/QĐ-UBND"), ChangeMapping.EndingEffectsOf("decisions/qd-337"));

        var draftRevoked = await Assert.ThrowsAsync<DecisionRuleException>(
            () => world.Issuing().ValidateRevocationAsync(revocation, null, CancellationToken.None));
        Assert.Equal("DECISION_NOT_REVOCABLE", draftRevoked.Reason);

        var issuing = world.Issuing();
        await issuing.IssueAsync("qd-337", await issuing.ValidateIssueAsync("qd-337", null, CancellationToken.None), CancellationToken.None);
        var revoking = world.Issuing();
        var revokingDecision = await revoking.RevokeAsync(
            revocation, await revoking.ValidateRevocationAsync(revocation, null, CancellationToken.None), CancellationToken.None);

        Assert.Equal(("decisions/qd-337", DecisionState.Issued), (revokingDecision.Revokes, revokingDecision.State));
        Assert.Contains(DecisionKind.Revoke, revokingDecision.Kinds);
        var again = await Assert.ThrowsAsync<DecisionRuleException>(
            () => world.Issuing().ValidateRevocationAsync(revocation with { RevokingId = "qd-1000" }, null, CancellationToken.None));
        Assert.Equal("DECISION_ALREADY_REVOKED", again.Reason);
    }

    public void Dispose() => world.Dispose();
}
