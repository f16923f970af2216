using System.Data.Common;
using Egov.Steering.Access;
using Egov.Steering.Decisions.Domain;
using Egov.Steering.Decisions.Tests.Support;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Decisions.Tests.UseCases;

/// <summary>Drafting without gRPC: the owner edits its draft at the version it read, and only a draft.</summary>
public sealed class DecisionDraftsTests : IDisposable
{
    private readonly UseCaseWorld world = new();

    [Fact]
    public async Task A_draft_is_created_for_the_callers_organisation_once()
    {
        var draft = await world.Drafts().CreateAsync("qd-337", UseCaseWorld.GiaLaiConsolidation(), CancellationToken.None);

        Assert.Equal((DecisionState.Draft, Drafts.GiaLai, 1), (draft.State, draft.OwnerOrganisation, draft.Version));
        await Assert.ThrowsAsync<ResourceAlreadyExistsException>(
            () => world.Drafts().CreateAsync("qd-337", UseCaseWorld.GiaLaiConsolidation(), CancellationToken.None));
    }

    [Fact]
    public async Task A_draft_of_the_same_id_created_meanwhile_makes_the_create_already_exist_without_a_read_first()
    {
        // Another request creates qd-337 just before this one's insert: whatever this one read before, the key answers.
        var competing = new BeforeTheFirstCommand(() => world.Drafts().CreateAsync("qd-337", UseCaseWorld.GiaLaiConsolidation(), CancellationToken.None));

        await Assert.ThrowsAsync<ResourceAlreadyExistsException>(
            () => world.Drafts(interceptor: competing).CreateAsync("qd-337", UseCaseWorld.GiaLaiConsolidation("338/QĐ-UBND"), CancellationToken.None));

        Assert.StartsWith("INSERT INTO \"decisions\"", competing.FirstCommand, StringComparison.Ordinal);
        await using var db = world.Context();
        Assert.Equal("337/QĐ-UBND", (await db.Decisions.SingleAsync()).Number);
    }

    [Fact]
    public async Task A_redraft_needs_the_current_etag()
    {
        await world.Drafts().CreateAsync("qd-337", UseCaseWorld.GiaLaiConsolidation(), CancellationToken.None);

        var edited = await world.Drafts().RedraftAsync(
            "qd-337", EntityTag.Of(1), draft => draft with { Title = "Về việc kiện toàn Ban Chỉ đạo chuyển đổi số" }, CancellationToken.None);

        Assert.Equal(("Về việc kiện toàn Ban Chỉ đạo chuyển đổi số", 2), (edited.Title, edited.Version));
        await Assert.ThrowsAsync<StaleEtagException>(
            () => world.Drafts().RedraftAsync("qd-337", EntityTag.Of(1), draft => draft, CancellationToken.None));
    }

    [Fact]
    public async Task Another_organisation_may_not_edit_or_delete_the_draft()
    {
        await world.Drafts().CreateAsync("qd-337", UseCaseWorld.GiaLaiConsolidation(), CancellationToken.None);
        var other = new Caller("hanoi-system", "province-2025-01", [SteeringScopes.Write]);

        await Assert.ThrowsAsync<PermissionDeniedException>(() => world.Drafts(other).RedraftAsync("qd-337", null, draft => draft, CancellationToken.None));
        await Assert.ThrowsAsync<PermissionDeniedException>(() => world.Drafts(other).DeleteAsync("qd-337", null, CancellationToken.None));
    }

    [Fact]
    public async Task Only_a_draft_is_edited_or_deleted()
    {
        await world.Drafts().CreateAsync("qd-337", UseCaseWorld.GiaLaiConsolidation(), CancellationToken.None);
        var issuing = world.Issuing();
        await issuing.IssueAsync("qd-337", await issuing.ValidateIssueAsync("qd-337", null, CancellationToken.None), CancellationToken.None);

        var edit = await Assert.ThrowsAsync<DecisionRuleException>(() => world.Drafts().RedraftAsync("qd-337", null, draft => draft, CancellationToken.None));
        var delete = await Assert.ThrowsAsync<DecisionRuleException>(() => world.Drafts().DeleteAsync("qd-337", null, CancellationToken.None));

        Assert.Equal(("DECISION_NOT_DRAFT", "STATE"), (edit.Reason, edit.Violations.Single().Type));
        Assert.Equal("DECISION_NOT_DRAFT", delete.Reason);
    }

    [Fact]
    public async Task A_deleted_draft_is_gone()
    {
        await world.Drafts().CreateAsync("qd-337", UseCaseWorld.GiaLaiConsolidation(), CancellationToken.None);

        await world.Drafts().DeleteAsync("qd-337", EntityTag.Of(1), CancellationToken.None);

        await using var db = world.Context();
        Assert.False(await db.Decisions.AnyAsync());
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => world.Queries().GetAsync("qd-337", CancellationToken.None));
    }

    public void Dispose() => world.Dispose();

    /// <summary>Runs <paramref name="competing"/> before the first command of the context it intercepts, and keeps that command's text.</summary>
    private sealed class BeforeTheFirstCommand(Func<Task> competing) : BeforeEachCommand
    {
        public string? FirstCommand { get; private set; }

        protected override async Task BeforeAsync(DbCommand command)
        {
            if (FirstCommand is null)
            {
                FirstCommand = command.CommandText.TrimStart();
                await competing();
            }
        }
    }
}
